"""Simulators that open at once in a person's own Jupyter server (the workshop hub).

Voila keeps a pre-heated kernel for each page when it runs on its own (``make serve``): the
kernel has started and imported the app before anyone asks, so the page only has to finish
drawing her language and currency. Inside Jupyter Server (each participant's server on the
hub), Voila has no such pool: every visit starts a kernel and runs the whole app, about
1.4 CPU-seconds for the savings simulator. With a room of 30 phones on a 2-core machine, that
is the difference between a simulator in a few seconds and a minute's wait.

:class:`PooledKernelManager` is Jupyter Server's kernel manager with Voila's own pool (Voila's
``VoilaKernelManager``, made by ``voila_kernel_manager_factory``), limited to the notebooks
named in ``pooled`` (the simulators; never her own notebooks, never the lessons). The server
extension (:func:`attach`, called by ``widgets.serve``) gives the pool what it reads from
Voila's own application (its configuration, templates, addresses), adds Voila's request-info
socket (the pre-heated kernel waits there for her page's address: ``?lang=&currency=``), and
fills the pool. A used kernel is replaced after ``fill_delay`` seconds (default 300: after the
room's rush, not during it); until then a visit starts its own kernel, as without a pool.

Her other kernels (JupyterLab, the lessons, the forms) are started and culled as before;
a kernel waiting in the pool is never culled.
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, List, Unicode
from voila.voila_kernel_manager import voila_kernel_manager_factory

#: Voila's kernel manager with its pool of pre-heated kernels, on Jupyter Server's.
_VoilaPool = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)


class PooledKernelManager(_VoilaPool):
    """See the module."""

    pooled = List(Unicode(), ["apps/savings.ipynb"],
                  help="notebooks (from her server's folder) to keep one kernel ready for"
                  ).tag(config=True)
    fill_delay = Float(300, help="seconds before a used kernel is replaced (Voila's own "
                       "default is 1 s; here after the room's rush)").tag(config=True)

    def __init__(self, **kwargs):
        # Jupyter Server's own start; Voila's would look for every notebook under her home
        # and read settings a Jupyter server does not have yet (they come in attach()).
        AsyncMappingKernelManager.__init__(self, **kwargs)
        self._wait_at_startup = True
        self.notebook_data = {}
        self._pools = {}
        self.root_dir = self.parent.root_dir
        self.notebook_path = None
        self.kernel_pools_config = self.pools_config()
        self.attached = False

    def pools_config(self) -> dict:
        """Voila's pool sizes: one kernel for each pooled notebook, none for the others."""
        pools = {"default": {"pool_size": 0, "kernel_env_variables": {}}}
        pools.update({name: {"pool_size": 1, "kernel_env_variables": {}}
                      for name in self.pooled})
        return pools

    def get_pool_size(self, notebook_name: str) -> int:
        """Kernels that have started and wait for a page: Voila's handler takes one only when
        this is above 0. Voila counts a kernel still waiting to be started too (after a used
        one, ``fill_delay`` seconds), and its page would wait that long; here such a visit
        starts its own kernel, as if there were no pool."""
        return sum(1 for task in self._pools.get(notebook_name, ()) if _started(task))

    async def get_rendered_notebook(self, notebook_name: str, *args, **kwargs):
        """Voila's, with a started kernel first in line (Voila takes the first one)."""
        pool = self._pools.get(notebook_name, [])
        pool.sort(key=lambda task: not _started(task))
        return await super().get_rendered_notebook(notebook_name, *args, **kwargs)


def _started(task) -> bool:
    """A pool entry whose kernel has started (and not failed to)."""
    return task.done() and not task.cancelled() and task.exception() is None


def attach(server_app) -> bool:
    """Give Voila's pool, inside ``server_app``, what it reads from Voila's own application,
    add Voila's request-info socket, and start the pooled kernels. ``False`` when the server
    does not use :class:`PooledKernelManager`."""
    import os

    from jupyter_server.utils import url_path_join
    from voila.configuration import VoilaConfiguration
    from voila.paths import collect_template_paths
    from voila.request_info_handler import RequestInfoSocketHandler

    manager = server_app.kernel_manager
    if not isinstance(manager, PooledKernelManager) or manager.attached:
        return False
    voila = VoilaConfiguration(parent=server_app)
    # What the pool reads from ``self.parent`` (Voila's application, here the Jupyter server).
    server_app.voila_configuration = voila
    server_app.app = server_app.web_app
    server_app.template_paths = collect_template_paths(["voila", "nbconvert"], voila.template)
    server_app.notebook_path = None
    server_app.server_url = server_app.base_url
    kernel_id = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"
    server_app.web_app.add_handlers(".*$", [(
        url_path_join(server_app.base_url, rf"/voila/query/{kernel_id}"),
        RequestInfoSocketHandler)])
    for name in manager.pooled:
        if os.path.isfile(os.path.join(server_app.root_dir, name)):
            manager.fill_if_needed(delay=0, notebook_name=name)
    manager.attached = True
    return True
