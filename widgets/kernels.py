"""Kernels reached through Unix sockets in a short, private folder.

A Jupyter kernel talks to its server through five sockets. By default they are TCP ports on
127.0.0.1: the server picks free port numbers, writes them in the kernel's connection file,
and the kernel binds them a moment later. On a machine where many kernels start at once (a
room of 30 phones on the workshop hub, each person's server starting her simulator; Voila
refilling its pool while another page starts), another program can take one of those ports
in that moment. The kernel then dies with "Address already in use", and Jupyter's restarts
try the same numbers again: her page never finishes loading.

:class:`SocketKernelManager` uses Unix sockets instead (Jupyter's ``ipc`` transport): files
no other program can take, in a folder that only the server's own user can open. Jupyter would
put them next to the connection file, in her runtime folder under her home; a socket's
address may not be longer than 107 bytes, and a home such as
``/srv/homeward/home/participant-name/.local/share/jupyter/runtime/kernel-<36 characters>-ipc-1``
is too long. So the folder is a new one in the system's temporary folder (``mkdtemp``: a
random name, mode 700), one for each server process, removed when it stops.

Set as ``MappingKernelManager.kernel_manager_class`` in Voila's settings
(``widgets/apps/voila.json``), which ``make serve``, Binder (``widgets.serve --install``) and
the hub's servers and dashboard read.

>>> km = SocketKernelManager(connection_file="/home/ana/.local/share/jupyter/runtime/"
...                          "kernel-0f6d3a1e-5b7c-4c0e-9a51-6b2f0d9e8c47.json")
>>> km.transport
'ipc'
>>> folder = Path(km.ip).parent
>>> folder == socket_folder(), oct(folder.stat().st_mode & 0o777)
(True, '0o700')
>>> Path(km.ip).name
'kernel-0f6d3a1e-5b7c-4c0e-9a51-6b2f0d9e8c47'
>>> len(km.ip + "-1") < 100
True
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets import default

_FOLDER: Path | None = None


def socket_folder() -> Path:
    """This process's folder for its kernels' sockets (made on first use, removed at exit)."""
    global _FOLDER
    if _FOLDER is None or not _FOLDER.is_dir():
        _FOLDER = Path(tempfile.mkdtemp(prefix="hw-kernels-"))
        atexit.register(shutil.rmtree, _FOLDER, True)
    return _FOLDER


class SocketKernelManager(ServerKernelManager):
    """Jupyter Server's kernel manager on Unix sockets in :func:`socket_folder` (see the
    module)."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("ip")
    def _ip_default(self) -> str:
        if self.transport != "ipc":
            return super()._ip_default()
        # the kernel's own name (kernel-<id>), so two kernels never share a socket's name
        name = Path(self.connection_file).stem if self.connection_file else ""
        return str(socket_folder() / (name or f"kernel-{uuid.uuid4()}"))


#: The setting that makes a Jupyter or Voila server use it.
KERNEL_MANAGER = f"{__name__}.{SocketKernelManager.__name__}"

__all__ = ["KERNEL_MANAGER", "SocketKernelManager", "socket_folder"]
