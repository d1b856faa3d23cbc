"""Starting the real service for tests: ``flg serve`` in a subprocess, or an app built in the test
served by uvicorn in a thread; both on 127.0.0.1 at a free port, spoken to over HTTP."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import requests
import uvicorn
from fastapi import FastAPI

TOKEN = "test-token-0f3c9e"
OTHER_TOKEN = "rotated-token-77a1"
START_TIMEOUT = 60.0


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_token_file(folder: Path, *tokens: str) -> Path:
    """A token file as ``sha256sum`` writes it; TOKEN when no token is named."""
    tokens = tokens or (TOKEN,)
    path = folder / "tokens.sha256"
    path.write_text("".join(f"{sha256(t)}  -\n" for t in tokens), encoding="utf-8")
    return path


def clean_environment(lists_dir: Path, **extra: str) -> dict[str, str]:
    """The test's environment without a developer's store or lists, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("FLG_STORE", "FLG_LISTS") and not k.startswith("FLG_SERVICE")
    }
    env["FLG_LISTS_DIR"] = str(lists_dir)
    env.update(extra)
    return env


class Client:
    """HTTP calls to a running service, with the bearer token by default."""

    def __init__(self, base: str, token: str | None = TOKEN) -> None:
        self.base = base
        self.token = token
        self.session = requests.Session()

    def headers(self, token: str | None, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return {**headers, **(extra or {})}

    def post(
        self,
        path: str,
        json_body: Any = None,
        *,
        data: Any = None,
        token: str | None = "",
        headers: dict[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """POST ``json_body`` as JSON, or ``data`` as it is (bytes, text or an iterator of
        chunks, sent chunked); ``token=None`` sends no Authorization header."""
        return self.session.post(
            self.base + path,
            json=json_body if data is None else None,
            data=data,
            headers=self.headers(self.token if token == "" else token, headers),
            timeout=60,
            stream=stream,
        )

    def get(
        self, path: str, *, token: str | None = "", headers: dict[str, str] | None = None
    ) -> requests.Response:
        return self.session.get(
            self.base + path,
            headers=self.headers(self.token if token == "" else token, headers),
            timeout=60,
        )


class ServiceProcess(Client):
    """``flg serve`` as a child process; ``stop()`` sends SIGTERM and returns the exit status."""

    def __init__(self, args: Sequence[str], env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        super().__init__(f"http://127.0.0.1:{self.port}")
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "forced_labour_guard.cli",
                "serve",
                "--port",
                str(self.port),
                *args,
            ],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"flg serve exited {self.process.returncode}: {self.log()}")
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"flg serve did not come up: {self.log()}")

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text("utf-8", errors="replace")

    def logged(self, text: str, timeout: float = 10.0) -> bool:
        """Whether ``text`` reaches the log within ``timeout`` seconds (a line about a request is
        written just after its answer has gone out)."""
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        self.session.close()
        return self.process.returncode


class ThreadedService(Client):
    """An application built by the test, served by a real uvicorn in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        port = free_port()
        super().__init__(f"http://127.0.0.1:{port}")
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=60)
        self.session.close()
