# Offline stand-in for get-pip.py, placed where ansible-test looks first
# (~/.ansible/test/cache/get_pip_<version>.py). ansible-test's sanity venvs run it to install pip;
# this installs pip from the interpreter's bundled wheel, then upgrades to the version asked for
# through the configured package index. ensurepip runs as a subprocess: in-process it hides
# /etc/pip.conf, and pip then fails certificate checks.
import subprocess
import sys

DROP = {"--no-setuptools", "--no-wheel"}

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"], stdout=subprocess.DEVNULL)
args = [a for a in sys.argv[1:] if a not in DROP]
if args:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade", "--disable-pip-version-check"] + args)
