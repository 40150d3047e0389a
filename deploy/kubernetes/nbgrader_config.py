# nbgrader in the course image (/etc/homeward/jupyter/nbgrader_config.py): the course, the
# hub's groups for who takes which course, and ngshare as the exchange.
import ngshare_exchange
from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "homeward"
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = JupyterHubAuthPlugin
ngshare_exchange.configureExchange(c, "http://proxy-public/services/ngshare")
