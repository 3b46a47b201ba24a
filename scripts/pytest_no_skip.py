"""A skipped test proves nothing: make any skip fail the session (Odoo skips browser
tours silently when websocket-client or Chromium is missing)."""


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"FAILED: {len(skipped)} test(s) skipped; a skip counts as a failure here.", red=True)
        session.exitstatus = 1
