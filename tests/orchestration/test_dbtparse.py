"""dbt parses only when the project, an env var it reads, or dbt itself changed."""

from orchestration.dbtparse import project_state


def _project(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "target").mkdir()
    (tmp_path / "profiles.yml").write_text("path: \"{{ env_var('SIYU_WAREHOUSE') }}\"\n")
    (tmp_path / "models" / "a.sql").write_text("select 1 as x\n")
    return tmp_path


def test_the_state_changes_with_a_file_or_an_env_var_the_project_reads(tmp_path, monkeypatch):
    project = _project(tmp_path)
    monkeypatch.setenv("SIYU_WAREHOUSE", "/a/warehouse.duckdb")
    monkeypatch.setenv("SIYU_LANDING_DIR", "/a/landing")
    state = project_state(project)
    (project / "target" / "manifest.json").write_text("{}")  # dbt's output is not the project
    monkeypatch.setenv("SIYU_LANDING_DIR", "/b/landing")  # read by no project file
    assert project_state(project) == state
    monkeypatch.setenv("SIYU_WAREHOUSE", "/b/warehouse.duckdb")
    moved = project_state(project)
    assert moved != state
    (project / "models" / "a.sql").write_text("select 2 as x\n")
    assert project_state(project) not in (state, moved)
