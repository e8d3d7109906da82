from pathlib import Path

from rillchat.config import paths


def test_environment_overrides_the_platform_folders(monkeypatch, tmp_path):
    monkeypatch.setenv("RILL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RILL_DATA_DIR", str(tmp_path / "data"))
    assert paths.config_dir() == tmp_path / "config"
    assert paths.data_dir() == tmp_path / "data"


def test_platform_folders_are_named_for_rill(monkeypatch):
    monkeypatch.delenv("RILL_CONFIG_DIR", raising=False)
    monkeypatch.delenv("RILL_DATA_DIR", raising=False)
    assert paths.config_dir().name == "rill" and isinstance(paths.data_dir(), Path)
