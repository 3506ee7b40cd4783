# Shared by run.sh and test.sh: installs what a fresh Debian 12 machine lacks. Source it; do not run it.

# Runs a command as root (directly, or through sudo for a normal user).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=""

# Installs Debian packages that are not installed yet.
ensure_apt_packages() {
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing Debian packages: ${missing[*]}"
    if [ -z "$apt_updated" ]; then
        as_root apt-get update -qq
        apt_updated=yes
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

# The .NET SDK cannot come from Debian's archive: say so clearly when it is missing.
require_dotnet() {
    if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks | grep -q '^10\.'; then
        echo "The .NET 10 SDK is required (dotnet on PATH); install it and run this again." >&2
        exit 1
    fi
}

# The web console is built with Node.js and npm (Vite needs Node 20.19 or newer); like the SDK,
# they come with the machine, so say clearly when they are missing or too old.
require_node() {
    local version
    version=$(node --version 2>/dev/null | sed 's/^v//')
    if [ -z "$version" ] || ! command -v npm >/dev/null 2>&1 \
        || [ "$(printf '%s\n' 20.19.0 "$version" | sort -V | head -n 1)" != 20.19.0 ]; then
        echo "Node.js 20.19 or newer with npm is required to build the web console (found: ${version:-none})." >&2
        exit 1
    fi
}

# As root, the embedded PostgreSQL and the Python workers run as unprivileged users: they must be
# able to pass through every folder above the checkout and the data folder. Adds only the
# traverse bit (o+x, not read) where it is missing (a checkout made with mktemp -d is 700), and says so.
ensure_traversable() {
    [ "$(id -u)" -eq 0 ] || return 0
    local path
    path=$(realpath -m "$1")
    while [ "$path" != "/" ]; do
        if [ -d "$path" ] && [ "$(( 0$(stat -c %a "$path") % 10 & 1 ))" -eq 0 ]; then
            echo "Making $path traversable (o+x) for the unprivileged database and worker users"
            chmod o+x "$path"
        fi
        path=$(dirname "$path")
    done
}

ensure_server_prerequisites() {
    require_dotnet
    require_node
    # PostgreSQL 15 server binaries for the embedded database (initdb, pg_ctl, postgres).
    if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
        ensure_apt_packages postgresql-15
    fi
    # runuser (util-linux) and useradd (passwd) run the embedded server as an unprivileged user.
    # Workers embed Debian's CPython 3.11; Python libraries come from python3-* packages.
    ensure_apt_packages util-linux passwd libpython3.11 python3 python3-requests
    # pip (with setuptools and wheel for source packages) installs the Python packages administrators add for scripts.
    ensure_apt_packages python3-pip python3-setuptools python3-wheel
    # bwrap, for the worker sandbox (OrleansFunc:Engine:Sandbox = Bubblewrap, the default).
    ensure_apt_packages bubblewrap
    # The data source drivers DFF.SRC uses inside the workers.
    ensure_apt_packages python3-pymysql python3-psycopg2 python3-redis python3-pymemcache python3-clickhouse-driver \
        python3-oracledb python3-pymssql python3-pymongo python3-influxdb python3-paho-mqtt
}

# What the tests need beyond the server: the data source servers they start on loopback (each on
# its own port and folder; no system service is used), and Debian's Chromium, which the browser
# tests drive through playwright-core (installed by npm in tests/browser).
ensure_test_prerequisites() {
    ensure_server_prerequisites
    ensure_apt_packages mariadb-server redis-server memcached mosquitto influxdb clickhouse-server
    ensure_apt_packages chromium fonts-noto-cjk curl
    # The cluster tests start deploy/local-cluster.sh: HAProxy in front of the WebFronts.
    ensure_apt_packages haproxy
    # The metrics test scrapes a server with a real Prometheus.
    ensure_apt_packages prometheus
}
