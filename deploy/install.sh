#!/usr/bin/env bash
# One-time install on a Debian server as root: user, code, venv, database, static files, units.
# Usage: sudo bash deploy/install.sh /path/to/checkout
set -euo pipefail
SRC=${1:?path to the servicedesk checkout}
apt-get install -y python3-venv postgresql redis-server nginx libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
id servicedesk >/dev/null 2>&1 || useradd --system --home /opt/servicedesk --shell /usr/sbin/nologin servicedesk
mkdir -p /opt/servicedesk /etc/servicedesk /var/lib/servicedesk/media
cp -a "$SRC"/. /opt/servicedesk/
[ -f /etc/servicedesk/servicedesk.env ] || install -m 640 -g servicedesk "$SRC/deploy/servicedesk.env.example" /etc/servicedesk/servicedesk.env
python3 -m venv /opt/servicedesk/.venv && /opt/servicedesk/.venv/bin/pip install -q /opt/servicedesk
sudo -u postgres psql -tc "SELECT 1 FROM pg_roles WHERE rolname='servicedesk'" | grep -q 1 || sudo -u postgres createuser servicedesk
sudo -u postgres psql -tc "SELECT 1 FROM pg_database WHERE datname='servicedesk'" | grep -q 1 || sudo -u postgres createdb -O servicedesk servicedesk
chown -R servicedesk:servicedesk /opt/servicedesk /var/lib/servicedesk
cd /opt/servicedesk
set -a; . /etc/servicedesk/servicedesk.env; set +a
sudo -E -u servicedesk .venv/bin/python manage.py migrate --noinput
sudo -E -u servicedesk .venv/bin/python manage.py collectstatic --noinput
sudo -E -u servicedesk .venv/bin/python manage.py check --deploy --fail-level WARNING
install -m 644 deploy/systemd/*.service /etc/systemd/system/
systemctl daemon-reload
systemctl enable --now servicedesk-web servicedesk-worker servicedesk-beat
echo "Now: edit /etc/servicedesk/servicedesk.env, put deploy/nginx-servicedesk.conf in /etc/nginx/sites-enabled/, and create the first administrator with: manage.py createsuperuser"
