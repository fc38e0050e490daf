"""The run log: stdout (dagster-dbt re-prints dbt's lines there) goes to the file, uncoloured; what
says a model or test failed is echoed to the console too. The whole run: tests/e2e/test_console_output.py."""

import sys

from orchestration.progress import active_log, run_log


def test_dbt_lines_go_to_the_file_and_failures_to_the_console_too(tmp_path, capsys):
    stdout = sys.stdout
    with run_log(tmp_path) as path:
        assert active_log() is not None and sys.stdout is not stdout
        print("12 of 269 START sql table model marts.user_assets ........ [RUN]")
        print("12 of 269 \x1b[32mOK\x1b[0m created sql table model marts.user_assets")
        print("13 of 269 ERROR creating sql table model marts.daily_kpis ... [\x1b[31mERROR\x1b[0m in 0.1s]")
        print("Database Error in model daily_kpis (models/marts/kpis/daily_kpis.sql)\n"
              "  Binder Error: Referenced column \"net_revenu\" not found")
        print("Failure in test unique_user_assets_customer_id (models/marts/assets/user_assets.yml)")
        active_log().line("16:00:00 INFO    landing a Dagster record")
    assert sys.stdout is stdout and active_log() is None
    assert path.parent == tmp_path / "logs" and path.name.startswith("run-")
    text = path.read_text(encoding="utf-8")
    assert "12 of 269 OK created sql table model marts.user_assets\n" in text
    assert "\x1b" not in text and "a Dagster record" in text and "START sql table model" in text
    console = capsys.readouterr()
    assert console.out == ""
    assert f"every Dagster and dbt line of this run: {path}" in console.err
    assert "ERROR creating sql table model marts.daily_kpis" in console.err
    assert 'Referenced column "net_revenu" not found' in console.err
    assert "Failure in test unique_user_assets_customer_id" in console.err
    assert "START sql" not in console.err and "OK created" not in console.err


def test_the_log_is_closed_and_stdout_restored_when_the_run_raises(tmp_path):
    stdout = sys.stdout
    try:
        with run_log(tmp_path):
            raise RuntimeError("a ConfigError inside run_pipeline")
    except RuntimeError:
        pass
    assert sys.stdout is stdout and active_log() is None
