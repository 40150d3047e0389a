# The Homeward workshop hub's JupyterHub configuration.
#
# Started by `python -m grading hub start` (or `make workshop`), which prepares the state
# folder and names it in HOMEWARD_HUB_STATE. Everything here comes from
# grading.hub.config.hub_config (tested without a hub in tests/hub/); change the settings
# with the options of `python -m grading hub start`, not in this file.
import os

from grading.course import Course
from grading.hub.config import apply, hub_config
from grading.hub.settings import STATE_VARIABLE, HubSettings

c = get_config()  # noqa: F821

settings = HubSettings.load(os.environ[STATE_VARIABLE])
apply(c, hub_config(settings, Course.open(settings.course).course_id))
