"""deploy/kubernetes/values.yaml, checked without a cluster: the values render (the way
zero-to-jupyterhub's hub turns them into configuration, for the keys Homeward sets) into a
JupyterHub configuration that JupyterHub and KubeSpawner accept, with the workshop hub's
roles; the course image's nbgrader settings load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

from grading.hub.config import SERVER_TOKEN_SCOPES, roles
from tests.helpers.aio import run as run_async

ROOT = Path(__file__).resolve().parents[2]
KUBE = ROOT / "deploy" / "kubernetes"


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load((KUBE / "values.yaml").read_text())


def z2jh_config(values: dict) -> Config:
    """What zero-to-jupyterhub's jupyterhub_config.py does with the keys this file uses:
    ``hub.config`` as configuration, ``hub.loadRoles`` and ``hub.services`` as lists with a
    ``name``, ``singleuser`` into KubeSpawner's settings, ``cull`` as the idle-culler service,
    ``hub.extraConfig`` run last."""
    from jupyterhub.utils import url_path_join  # noqa: F401  (as the chart's config has it)

    c = Config(values["hub"].get("config", {}))
    c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
    c.JupyterHub.load_roles = [{"name": name, **role}
                               for name, role in values["hub"]["loadRoles"].items()]
    c.JupyterHub.services = [{"name": name, **{k: v for k, v in service.items()
                                               if k != "apiToken"}}
                             for name, service in values["hub"]["services"].items()]
    single = values["singleuser"]
    c.KubeSpawner.image = f"{single['image']['name']}:{single['image']['tag']}"
    c.KubeSpawner.mem_limit = single["memory"]["limit"]
    c.KubeSpawner.mem_guarantee = single["memory"]["guarantee"]
    c.KubeSpawner.cpu_limit = float(single["cpu"]["limit"])
    c.KubeSpawner.cpu_guarantee = float(single["cpu"]["guarantee"])
    c.KubeSpawner.default_url = single["defaultUrl"]
    c.KubeSpawner.environment = dict(single["extraEnv"])
    c.KubeSpawner.cmd = [single["cmd"]]
    c.KubeSpawner.args = list(single["args"])
    if values["cull"]["enabled"]:
        c.JupyterHub.services.append({"name": "cull-idle", "command": [
            "python3", "-m", "jupyterhub_idle_culler",
            f"--timeout={values['cull']['timeout']}", f"--cull-every={values['cull']['every']}"]})
    for code in values["hub"].get("extraConfig", {}).values():
        exec(compile(code, "extraConfig", "exec"), {"c": c})
    return c


def test_values_render_to_a_configuration_jupyterhub_and_kubespawner_accept(values):
    from jupyterhub.app import JupyterHub
    from kubespawner import KubeSpawner

    config = z2jh_config(values)
    app = JupyterHub(config=config)
    assert app.authenticator_class.__name__ == "HomewardAuthenticator"
    assert app.spawner_class is KubeSpawner
    assert {s["name"] for s in app.services} == {"ngshare", "mentoring", "cull-idle"}
    # every KubeSpawner setting is a real, valid one
    traits = KubeSpawner.class_traits()
    probe = KubeSpawner.__new__(KubeSpawner)  # trait checks without a user or a cluster
    for key, value in config.KubeSpawner.items():
        assert key in traits, key
        if hasattr(traits[key], "validate"):
            traits[key].validate(probe, value)
    assert callable(config.KubeSpawner.pre_spawn_hook)
    assert traits["mem_limit"].validate(probe, config.KubeSpawner.mem_limit) == 2**30


def test_the_same_roles_as_the_workshop_hub(values):
    from jupyterhub.scopes import scope_definitions

    hub = {r["name"]: r for r in roles("homeward")}
    kube = values["hub"]["loadRoles"]
    for name in ("facilitator", "nbgrader-homeward", "formgrade-homeward"):
        assert kube[name]["scopes"] == hub[name]["scopes"], name
        assert kube[name]["groups"] == hub[name]["groups"], name
    assert kube["server"]["scopes"] == SERVER_TOKEN_SCOPES
    for role in kube.values():
        for scope in role["scopes"]:
            assert scope.split("!")[0] in scope_definitions, scope


def test_facilitators_and_only_they_get_the_course_volume(values):

    config = z2jh_config(values)

    class Group:
        def __init__(self, name):
            self.name = name

    class Spawner:
        def __init__(self, groups):
            self.user = type("User", (), {"groups": [Group(g) for g in groups]})()
            self.volumes, self.volume_mounts, self.environment = [], [], {}

    facilitator, participant = Spawner(["facilitators"]), Spawner(["participants"])
    for spawner in (facilitator, participant):
        run_async(config.KubeSpawner.pre_spawn_hook(spawner))
    assert facilitator.volume_mounts == [{"name": "course", "mountPath": "/srv/course"}]
    assert participant.volume_mounts == [] and participant.volumes == []
    # she grades in her server: more memory than the participants' 1G (grading.memory)
    assert facilitator.mem_limit == "4G" and not hasattr(participant, "mem_limit")
    assert values["singleuser"]["memory"]["limit"] == "1G"


def test_the_course_image_nbgrader_settings_use_ngshare(monkeypatch):
    monkeypatch.setenv("USER", "jovyan")  # ngshare_exchange reads it on import
    import ngshare_exchange

    c = Config()
    code = (KUBE / "nbgrader_config.py").read_text()
    exec(compile(code, "nbgrader_config.py", "exec"), {"get_config": lambda: c})
    assert c.ExchangeFactory.submit is ngshare_exchange.ExchangeSubmit
    assert c.CourseDirectory.course_id == "homeward"


def test_kubernetes_manifests_parse():
    for name in ("dashboard.yaml", "course-volume.yaml"):
        documents = list(yaml.safe_load_all((KUBE / name).read_text()))
        assert documents and all(d["apiVersion"] and d["kind"] for d in documents)
