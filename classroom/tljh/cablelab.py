"""cablelab on The Littlest JupyterHub: copy this file to /opt/tljh/config/jupyterhub_config.d/.

The Littlest JupyterHub (TLJH) keeps its own spawner (systemd), authenticator
(FirstUseAuthenticator by default, as classroom/jupyterhub_config.py uses) and HTTPS;
this adds what the suite needs, the same way classroom/jupyterhub_config.py does:
the roster's names as the allowed users and its teachers as admins, the lessons handed out
to ~/lessons when a server starts, each person's folder in the class hand-in folder, and
answers saved under the hub name. See classroom/README.md, "On The Littlest JupyterHub".

Assumes the checkout is /opt/cablelab and cablelab is installed into both of TLJH's
environments (/opt/tljh/hub and /opt/tljh/user). Then `sudo tljh-config reload hub`.
"""

from tljh.normalize import generate_system_username  # TLJH's own names: "jupyter-<name>"
from tljh.user import ensure_user  # TLJH's own: creates a system account if it is missing

from cablelab import hub

c = get_config()  # noqa: F821 (given by JupyterHub when it loads this file)

hub.configure(
    c,
    roster="/opt/cablelab/classroom/roster.csv",
    root="/srv/cablelab",
    checkout="/opt/cablelab",
    user_python="/opt/tljh/user/bin/python",
    # TLJH runs hub user "ada" as the system account "jupyter-ada", created when the server first starts.
    system_user=lambda name: generate_system_username(f"jupyter-{name}"),
    ensure_account=ensure_user,
)
