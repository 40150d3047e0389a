"""Kernels on Unix sockets in a short private folder (widgets.kernels), as the servers use them."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path

import pytest
from jupyter_server.services.kernels.kernelmanager import (
    AsyncMappingKernelManager,
    ServerKernelManager,
)

from tests.helpers.aio import run as run_async
from widgets.kernels import KERNEL_MANAGER, SocketKernelManager, socket_folder
from widgets.serve import voila_settings


def test_every_server_reads_the_socket_kernel_manager_from_voilas_settings():
    assert voila_settings()["MappingKernelManager"]["kernel_manager_class"] == KERNEL_MANAGER


def test_the_socket_folder_is_private_and_short():
    folder = socket_folder()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    km = SocketKernelManager(connection_file=f"/{'x' * 200}/kernel-{'a' * 36}.json")
    assert km.transport == "ipc"
    assert Path(km.ip).parent == folder
    assert len(f"{km.ip}-5") <= 107  # sizeof(sockaddr_un.sun_path) - 1


async def _run_two_kernels(connection_dir: Path) -> list[str]:
    manager = AsyncMappingKernelManager(kernel_manager_class=KERNEL_MANAGER,
                                        connection_dir=str(connection_dir))
    ids = await asyncio.gather(manager.start_kernel(), manager.start_kernel())
    answers = []
    try:
        for kernel_id in ids:
            km = manager.get_kernel(kernel_id)
            info = json.loads(Path(km.connection_file).read_text())
            assert info["transport"] == "ipc" and Path(info["ip"]).parent == socket_folder()
            client = km.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=60)
                reply = await client.execute_interactive("print(6 * 7)", timeout=60,
                                                         output_hook=lambda m: answers.append(
                                                             m["content"].get("text", "")))
                assert reply["content"]["status"] == "ok"
            finally:
                client.stop_channels()
    finally:
        await manager.shutdown_all()
    return answers


def test_two_kernels_start_at_once_in_a_runtime_folder_too_long_for_a_socket(tmp_path):
    """Her runtime folder can be deep in her home; the sockets are not there."""
    deep = tmp_path / ("runtime-folder-of-a-participant-with-a-long-home-" * 3)
    deep.mkdir()
    assert len(str(deep / "kernel-00000000-0000-0000-0000-000000000000-ipc-1")) > 107
    answers = run_async(_run_two_kernels(deep))  # beside Playwright's loop
    assert [a.strip() for a in answers if a.strip()] == ["42", "42"]


def test_the_stock_manager_would_put_the_sockets_there(tmp_path):
    """The comparison: Jupyter's own manager on Unix sockets uses the runtime folder."""
    deep = tmp_path / ("runtime-folder-of-a-participant-with-a-long-home-" * 3)
    km = ServerKernelManager(transport="ipc", connection_file=str(deep / f"kernel-{'a' * 36}.json"))
    assert Path(km.ip).parent == deep and len(f"{km.ip}-1") > 107


@pytest.mark.parametrize("name", ["", "kernel-1"])
def test_a_kernel_without_a_connection_file_gets_its_own_name(name):
    km = SocketKernelManager(connection_file=f"/tmp/{name}.json" if name else "")
    assert Path(km.ip).parent == socket_folder()
    assert Path(km.ip).name.startswith("kernel-")
