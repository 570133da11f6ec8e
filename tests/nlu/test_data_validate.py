"""`rasa data validate` reports no errors and no warnings on the training data, domain and config."""

import subprocess
import sys

from actions.nlp.modelbeheer import CONFIG, DATA, DOMAIN, ROOT, rasa_env


def test_rasa_data_validate_is_clean():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "data",
            "validate",
            "--domain",
            str(DOMAIN),
            "--data",
            str(DATA),
            "--config",
            str(CONFIG),
        ],
        cwd=ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    problems = [line for line in output.splitlines() if "UserWarning" in line or " ERROR " in line]
    assert problems == []
