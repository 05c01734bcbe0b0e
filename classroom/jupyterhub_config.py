"""JupyterHub configuration for one class on one server (`make hub`, or `jupyterhub -f` this file).

The way The Littlest JupyterHub runs a class: every student a system user with their own
home, their server started by JupyterHub's LocalProcessSpawner, the teacher an admin, the
proxy configurable-http-proxy (npm). Who may sign in is the roster, classroom/roster.csv;
each person sets their password the first time they sign in (FirstUseAuthenticator, the
authenticator The Littlest JupyterHub uses); the hub creates their system account.
What the suite adds (the lessons handed out, the hand-in folder, answers under each hub
name, the teacher's dashboard) is `cablelab.hub.configure`.

Settings, from the environment (`make hub` sets them; every one has a default):

    CABLELAB_HUB_ROOT      /srv/cablelab      lessons/, handin/, teacher/ and the hub's own state/
    CABLELAB_ROSTER        classroom/roster.csv
    CABLELAB_HUB_PORT      8000               the address students open: http://127.0.0.1:PORT/
    CABLELAB_HUB_API_PORT  8081               the hub's own port (loopback only)
    CABLELAB_PROXY_API_PORT 8001              configurable-http-proxy's API (loopback only)
    CABLELAB_USER_PYTHON   this Python        the Python the students' servers run
    CABLELAB_USER_PYTHONPATH                  added to their PYTHONPATH (a checkout's src/)
    CABLELAB_TEACHERS_GROUP cablelab-teachers the group that reads every student's answers
    CABLELAB_LAB_EXPOSE_APP 0                 1: JupyterLab's app object reachable from the page (browser tests)
    CABLELAB_HUB_IP        127.0.0.1          the address the proxy listens on; on a class
                                              server, put a TLS proxy in front (see classroom/README.md)

Run as root: the hub creates the students' accounts and their hand-in folders.
"""

import os
import shutil
from pathlib import Path

from firstuseauthenticator import FirstUseAuthenticator
from jupyterhub.auth import LocalAuthenticator

from cablelab import hub

c = get_config()  # noqa: F821 (given by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
ROOT = Path(os.environ.get("CABLELAB_HUB_ROOT", "/srv/cablelab"))
STATE = ROOT / "state"


class LocalFirstUseAuthenticator(LocalAuthenticator, FirstUseAuthenticator):
    """FirstUseAuthenticator's passwords, with LocalAuthenticator creating each system account."""


# --- who signs in, and as whom ----------------------------------------------------------
c.JupyterHub.authenticator_class = LocalFirstUseAuthenticator
c.LocalFirstUseAuthenticator.create_system_users = True
# A home only its owner can open; a shell for the terminal; the account's own group.
c.LocalFirstUseAuthenticator.add_user_cmd = ["useradd", "--create-home", "--user-group", "--shell", "/bin/bash",
                                             "--key", "HOME_MODE=0700"]
c.LocalFirstUseAuthenticator.create_users = False  # only the roster's names, never a new one typed at the login page
c.LocalFirstUseAuthenticator.min_password_length = 8
c.LocalFirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")

# --- where it listens: loopback unless told otherwise -------------------------------------
c.JupyterHub.ip = os.environ.get("CABLELAB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("CABLELAB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("CABLELAB_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('CABLELAB_PROXY_API_PORT', '8001'))}"
proxy = CHECKOUT / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(proxy) if proxy.exists() else shutil.which("configurable-http-proxy")
                                   or "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# --- the hub's own state, readable by root only ------------------------------------------
STATE.mkdir(parents=True, exist_ok=True)
os.chmod(STATE, 0o700)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# --- the students' servers ---------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.ip = "127.0.0.1"
c.Spawner.start_timeout = 180    # a class signing in at once on a small server
c.Spawner.http_timeout = 180
c.JupyterHub.cleanup_servers = True   # stopping the hub stops every server and kernel

hub.configure(
    c,
    roster=os.environ.get("CABLELAB_ROSTER", HERE / "roster.csv"),
    root=ROOT,
    checkout=CHECKOUT,
    user_python=os.environ.get("CABLELAB_USER_PYTHON") or None,
    user_pythonpath=os.environ.get("CABLELAB_USER_PYTHONPATH", ""),
    group=os.environ.get("CABLELAB_TEACHERS_GROUP", "cablelab-teachers"),
    expose_app=os.environ.get("CABLELAB_LAB_EXPOSE_APP") == "1",
)
