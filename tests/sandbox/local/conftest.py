"""Local-trainer tests share the tiny model and a local service."""

from tests.local_fixtures import (  # noqa: F401 - fixtures
    local_client,
    local_server,
    qa_file,
    tiny_models_dir,
)
