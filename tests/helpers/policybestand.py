"""A broken copy of the Lekstroom policy file, for the tests of the loader's Dutch messages."""

import yaml

from actions.classificatie.policy import DEFAULT_POLICY


def kapot_bestand(tmp_path, mutate):
    data = yaml.safe_load(DEFAULT_POLICY.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "kapot.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
