"""Are the dependencies declared once, and do pyproject.toml and environment.yml agree?"""

import re
import tomllib

import yaml
from conftest import ROOT

# conda-forge names that differ from PyPI names
CONDA_NAMES = {"psycopg2-binary": "psycopg2-binary"}


def _split(req: str) -> tuple[str, str]:
    req = req.split(";")[0].strip()
    m = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)$", req)
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(3).replace(" ", "")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = list(data["project"]["dependencies"])
    for extra in data["project"]["optional-dependencies"].values():
        reqs += extra
    return dict(_split(r) for r in reqs)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict) or dep.split(">")[0].split("=")[0] in ("python", "pip"):
            continue
        name, spec = _split(dep)
        out[CONDA_NAMES.get(name, name)] = spec
    return out


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    py, conda = _pyproject(), _environment()
    assert sorted(set(py) - set(conda)) == [], "in pyproject.toml but not environment.yml"
    assert sorted(set(conda) - set(py)) == [], "in environment.yml but not pyproject.toml"
    differ = {n: (py[n], conda[n]) for n in py if py[n] != conda[n]}
    assert differ == {}, f"version ranges differ: {differ}"


def test_every_dependency_has_a_compatible_range():
    for name, spec in _pyproject().items():
        assert ">=" in spec, f"{name} has no lower bound"


def test_python_version_is_at_least_311():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["requires-python"] == ">=3.11"
