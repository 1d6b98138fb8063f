"""The app over a real seeded SQLite store, driven through httpx (FastAPI's TestClient)."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings

TOKEN = "test-token-0123456789"


@pytest.fixture
def make_client(seeded_store):
    def make(**settings) -> TestClient:
        app = create_app(Settings(**settings), store=seeded_store)
        return TestClient(app)

    return make


@pytest.fixture
def client(make_client):
    return make_client(api_token=TOKEN)
