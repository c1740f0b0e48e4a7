# Sourced by scripts/setup-*.sh: how a layer reports and installs. Every step prints one line,
# "have …" when its tool is already there at the right version, "install …" before it installs;
# nothing is downloaded outside the package registries (crates.io, npm, PyPI, Debian).
# LAYER names the layer in those lines (set by the script that sources this file).

say() { printf '\033[1m[setup %s]\033[0m %s\n' "${LAYER:-}" "$*"; }
have() { say "have    $*"; }
install() { say "install $*"; }

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

# How long apt waits for a lock held by another apt or dpkg process (an unattended upgrade, a
# second setup) before giving up: apt's own DPkg::Lock::Timeout for the dpkg lock, and the retry
# loop of apt_update for the package lists' lock, which that option does not cover.
APT_LOCK_WAIT=${APT_LOCK_WAIT:-600}
export DEBIAN_FRONTEND=noninteractive

# Says who holds an apt or dpkg lock file (apt and dpkg take fcntl locks, which lslocks lists),
# before apt waits silently for it.
say_lock_holder() {
  local pid
  pid=$(lslocks -n -r -o PID,PATH 2>/dev/null | awk -v f="$1" '$2 == f { print $1; exit }') || true
  [ -z "$pid" ] || say "waiting for $1, held by process $pid ($(ps -o comm= -p "$pid" 2>/dev/null)), up to ${APT_LOCK_WAIT}s"
}

# apt-get update, once per run of a layer. It refuses at once when another process holds
# /var/lib/apt/lists/lock ("Could not get lock"; DPkg::Lock::Timeout does not apply there), so
# that case is retried every 5 s until APT_LOCK_WAIT seconds have passed; any other failure
# stops the setup.
APT_UPDATED=
apt_update() {
  [ -z "$APT_UPDATED" ] || return 0
  local deadline=$((SECONDS + APT_LOCK_WAIT)) out said=
  while ! out=$($SUDO apt-get update -qq 2>&1); do
    if ! grep -q 'Could not get lock' <<<"$out" || [ "$SECONDS" -ge "$deadline" ]; then
      printf '%s\n' "$out" >&2
      return 1
    fi
    [ -n "$said" ] || say_lock_holder /var/lib/apt/lists/lock
    said=1
    sleep 5
  done
  APT_UPDATED=1
}

# apt_install [--no-install-recommends] PACKAGE…: apt waits (DPkg::Lock::Timeout) while another
# process holds the dpkg lock; its output is shown only when it fails.
apt_install() {
  apt_update
  say_lock_holder /var/lib/dpkg/lock-frontend
  local out
  if ! out=$($SUDO apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" install -y -q "$@" 2>&1); then
    printf '%s\n' "$out" >&2
    return 1
  fi
}

# An npm folder with its own lock file: `npm ci`, unless node_modules already holds what the
# lock file names: the checksum of package-lock.json that the last `npm ci` here left in
# node_modules/.lock.sha256 matches (or, for an install made before that file existed, npm's own
# node_modules/.package-lock.json is newer than the lock file). A node_modules that is a
# symbolic link (a worktree sharing another checkout's) is never reinstalled: npm ci would
# empty the folder it points to.
npm_folder() {
  local dir=$1 nm=$1/node_modules name sum
  [ -f "$dir/package-lock.json" ] || return 0
  name=${dir#./}/node_modules
  [ "$dir" != . ] || name="the root node_modules"
  sum=$(sha256sum <"$dir/package-lock.json" | cut -d' ' -f1)
  if [ -L "$nm" ]; then
    have "$name (a link to $(readlink "$nm"), left as it is)"
  elif [ "$(cat "$nm/.lock.sha256" 2>/dev/null)" = "$sum" ] ||
    { [ ! -f "$nm/.lock.sha256" ] && [ "$nm/.package-lock.json" -nt "$dir/package-lock.json" ]; }; then
    have "$name (as package-lock.json locks it)"
  else
    install "$name (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$sum" >"$nm/.lock.sha256"
  fi
}
