"""Does the `hocvuso` command help users and fail politely?"""

from conftest import run_cli


def test_help_lists_subcommands_in_both_languages():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "demo" in result.stdout and "curriculum" in result.stdout
    assert "Bình dân học vụ số" in result.stdout and "toolkit" in result.stdout


def test_every_subcommand_has_help():
    from hocvuso.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:
        result = run_cli(name, "--help")
        assert result.returncode == 0, name
        assert "usage" in result.stdout


def test_unknown_subcommand_is_one_line_error_with_fix_exit_2():
    result = run_cli("khong-co-lenh-nay")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "--help" in lines[0] and "khong-co-lenh-nay" in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_input_file_is_one_line_error_exit_2(tmp_path):
    result = run_cli("curriculum", "--syllabus", str(tmp_path / "khong-ton-tai.yml"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "khong-ton-tai.yml" in lines[0] and "fix" in lines[0]
    assert "Traceback" not in result.stderr
