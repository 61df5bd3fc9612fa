"""hocvuso: the toolkit of the "Bình dân học vụ số" volunteer programme.

Training notebooks for student volunteers, nbgrader readiness quizzes, and the pre/post
survey pipeline with its outcome analysis. See README.md and docs/ARCHITECTURE.md.
"""

__version__ = "0.1.0"
