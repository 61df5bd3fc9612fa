"""nbgrader configuration for the hocvuso course.

Only this file is committed; `hocvuso quizzes build` fills `source/` and `release/`, and
grading fills `submitted/`, `autograded/`, `feedback/` and `gradebook.db` (all git-ignored).
"""

import os

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

_here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = _here
c.CourseDirectory.course_id = "hocvuso"
# SQLite gradebook by default; set HOCVUSO_GRADEBOOK_URL to a PostgreSQL URL to share one.
c.CourseDirectory.db_url = os.environ.get(
    "HOCVUSO_GRADEBOOK_URL", "sqlite:///" + os.path.join(_here, "gradebook.db")
)
# Volunteers answer in one-line cells; nothing they do should run for long.
c.ExecutePreprocessor.timeout = 30
c.ClearSolutions.code_stub = {"python": 'tra_loi = ""  # Gõ câu trả lời giữa hai dấu nháy'}
