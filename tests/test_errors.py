"""Does every YAML text source fail with one clear line naming the file, the line and the fix?"""

import pytest

from hocvuso.errors import UserError, read_yaml_mapping


def test_a_missing_file_names_itself_and_what_was_expected(tmp_path):
    with pytest.raises(UserError) as info:
        read_yaml_mapping(tmp_path / "khong-co.yml", what="giáo trình / syllabus", fix="tạo tệp")
    message = info.value.one_line()
    assert "khong-co.yml" in message and "syllabus" in message and "tạo tệp" in message


def test_a_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "hong.yml"
    path.write_text("title: ok\nitems:\n  - id: a\n   bad: [\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        read_yaml_mapping(path)
    assert f"{path} [line " in info.value.one_line()


def test_a_list_at_the_top_is_not_accepted(tmp_path):
    path = tmp_path / "list.yml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(UserError, match="mapping"):
        read_yaml_mapping(path)


def test_a_windows_1258_file_is_reported_not_crashed(tmp_path):
    path = tmp_path / "cp1258.yml"
    path.write_bytes(b"title: B\xecnh d\xe2n\n")  # "Bình dân" in Windows-1258
    with pytest.raises(UserError, match="UTF-8"):
        read_yaml_mapping(path)


def test_a_good_file_is_read_as_a_mapping(tmp_path):
    path = tmp_path / "ok.yml"
    path.write_text("title: Bình dân học vụ số\nminutes: 20\n", encoding="utf-8")
    assert read_yaml_mapping(path) == {"title": "Bình dân học vụ số", "minutes": 20}
