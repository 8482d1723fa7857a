# SPDX-License-Identifier: Apache-2.0
"""make run's editor: a user Apache's own authentication knows, for the
writes of scripts/newsevent_httpd.py's site (and tests/bench/write_bench.py)."""
import os
import subprocess

MODULES = "/usr/lib/apache2/modules"


def editor_config(root, password="editor", settings=""):
    """make run's writes: a user editor (password editor) that Apache's own
    mod_auth_basic and mod_authn_file know, for PUT, POST, DELETE and MOVE
    under /news; reads stay open. A try-it-out setting for loopback only:
    production wants TLS and a real password file (README, "Editing").
    `settings`: more lines for the <Location /news> (the tests' limit)."""
    users = os.path.join(root, "editors.htpasswd")
    os.makedirs(root, exist_ok=True)
    subprocess.run(["htpasswd", "-cbB", users, "editor", password], check=True,
                   capture_output=True)
    return f"""LoadModule auth_basic_module {MODULES}/mod_auth_basic.so
LoadModule authn_core_module {MODULES}/mod_authn_core.so
LoadModule authn_file_module {MODULES}/mod_authn_file.so
LoadModule authz_user_module {MODULES}/mod_authz_user.so
<Location /news>
    NewsEventWrite On
{settings}    AuthType Basic
    AuthName "News editors"
    AuthBasicProvider file
    AuthUserFile {users}
    <LimitExcept GET HEAD OPTIONS>
        Require valid-user
    </LimitExcept>
</Location>
"""
