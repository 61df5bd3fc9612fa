"""Readiness quizzes: question banks → nbgrader notebooks → parallel grading → readiness.

- :mod:`hocvuso.quizzes.bank`: load and check question banks; normalise answers.
- :mod:`hocvuso.quizzes.grading`: the helpers a quiz notebook calls (format check, grading).
- :mod:`hocvuso.quizzes.selfcheck`: the volunteer's self-check before submitting.
- :mod:`hocvuso.quizzes.build`: ``hocvuso quizzes build`` (banks → course/source → release).
- :mod:`hocvuso.quizzes.grade`: ``hocvuso quizzes grade`` (parallel nbgrader autograde).
- :mod:`hocvuso.quizzes.readiness`: ``hocvuso readiness`` (who is ready to teach).
"""
