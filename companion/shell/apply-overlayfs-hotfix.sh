#!/bin/bash
# alinux-guard: applies the OverlayFS dentry-leak kernel hotfix (kernel-hotfix-4375449) on
# Alibaba Cloud Linux 2.1903 as Alibaba's advisory 273061 prescribes. Only yum packages named
# here are downloaded. Settings (env), exit codes, limits: docs/companion.md.
if [ -z "${BASH_VERSION:-}" ]; then exec /bin/bash "$0" "$@"; fi
set -u
umask 022
export LC_ALL=C PATH="${PATH:-/usr/sbin:/usr/bin:/sbin:/bin}"

# The component rewrites this one line when the caller allows reboots; keep it exactly so.
: "${ALINUX_HOTFIX_ALLOW_REBOOT:=no}"
: "${ALINUX_HOTFIX_LOCK_WAIT_SECONDS:=600}" "${ALINUX_HOTFIX_LOCK_POLL_SECONDS:=10}"
: "${ALINUX_HOTFIX_REBOOT_DELAY_MINUTES:=1}" "${ALINUX_HOTFIX_BOOT_RUN:=0}"

readonly HOTFIX_PREFIX="kernel-hotfix-4375449" HOTFIX_ID="4375449"
# Affected: 4.19.91-22.2.al7 and earlier; hotfix range 4.19.91-19.1.al7 .. 4.19.91-22.2.al7.
readonly RANGE_LOW="4.19.91-19.1" RANGE_HIGH="4.19.91-22.2"
readonly YUM_PIDFILE="/var/run/yum.pid"
readonly UNIT_NAME="alinux-overlayfs-hotfix.service"
readonly UNIT_FILE="/etc/systemd/system/${UNIT_NAME}"
readonly BOOT_COPY="/usr/local/sbin/alinux-overlayfs-hotfix.sh"
readonly E_OK=0 E_ENV=2 E_REBOOT_REQUIRED=3 E_PKG_MISSING=4 E_LOCK_TIMEOUT=5 E_YUM=6 \
  E_VERIFY=7 E_NO_FIXED_KERNEL=8 E_UNKNOWN_KERNEL=9

log() { printf '%s alinux-overlayfs-hotfix %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$2"; }
finish() { # finish CODE NAME MESSAGE
  if [ "$1" -eq 0 ]; then log INFO "$3"; else log ERROR "$3"; fi
  log INFO "RESULT ${2} exit=${1}"
  exit "$1"
}

is_uint() { case "$1" in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac; }

# KEY's value in /etc/os-release, read without executing the file.
os_release_value() {
  local key="$1" line value
  [ -r /etc/os-release ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in "${key}="*) value="${line#*=}" ;; *) continue ;; esac
    value="${value%\"}"; value="${value#\"}"; value="${value%\'}"; value="${value#\'}"
    printf '%s\n' "$value"
    return 0
  done </etc/os-release
  return 1
}

# "4.19.91-22.2.al7.x86_64" -> "4 19 91 22 2" (non-numeric release fields count as 0).
kernel_fields() {
  local k="$1" base rel out="" f
  [[ "$k" =~ ^([0-9]+\.[0-9]+\.[0-9]+)-([0-9][0-9A-Za-z_.]*)\.al7(\.[A-Za-z0-9_]+)?$ ]] || return 1
  base="${BASH_REMATCH[1]}"
  rel="${BASH_REMATCH[2]}"
  local IFS=.
  for f in $base $rel; do
    # Leading zeros dropped by hand (not $((10#…)), which the pack's shell grammar cannot read).
    if is_uint "$f"; then f="${f#"${f%%[!0]*}"}"; out+="${f:-0} "; else out+="0 "; fi
  done
  printf '%s\n' "${out% }"
}

# version_cmp A B -> prints -1, 0 or 1 (A, B: "4.19.91-22.2[.al7[.arch]]").
version_cmp() {
  local a b i x y
  read -r -a a <<<"$(kernel_fields "${1%.al7*}.al7")"
  read -r -a b <<<"$(kernel_fields "${2%.al7*}.al7")"
  for ((i = 0; i < ${#a[@]} || i < ${#b[@]}; i++)); do
    x="${a[i]:-0}"
    y="${b[i]:-0}"
    if ((x < y)); then echo -1; return; fi
    if ((x > y)); then echo 1; return; fi
  done
  echo 0
}

classify() { # classify KERNEL -> older | hotfix | fixed
  if [ "$(version_cmp "$1" "$RANGE_LOW")" = -1 ]; then echo older
  elif [ "$(version_cmp "$1" "$RANGE_HIGH")" = 1 ]; then echo fixed
  else echo hotfix; fi
}

yum_lock_holder() { # prints the PID holding the yum lock, if it is alive
  local pid=""
  [ -r "$YUM_PIDFILE" ] && read -r pid <"$YUM_PIDFILE"
  is_uint "$pid" && [ -d "/proc/$pid" ] && printf '%s\n' "$pid"
}

LOCK_WAITED=0
lock_pause() { # lock_pause HOLDER: wait one more poll interval, bounded by the wait limit
  if ((LOCK_WAITED >= ALINUX_HOTFIX_LOCK_WAIT_SECONDS)); then
    finish "$E_LOCK_TIMEOUT" YUM_LOCK_TIMEOUT "yum lock still held (${1}) after ${LOCK_WAITED}s; nothing installed"
  fi
  log INFO "yum lock held (${1}); waiting (${LOCK_WAITED}/${ALINUX_HOTFIX_LOCK_WAIT_SECONDS}s)"
  sleep "$ALINUX_HOTFIX_LOCK_POLL_SECONDS"
  LOCK_WAITED=$((LOCK_WAITED + ALINUX_HOTFIX_LOCK_POLL_SECONDS))
}
wait_for_yum_lock() {
  local holder
  while holder="$(yum_lock_holder)" && [ -n "$holder" ]; do lock_pause "PID ${holder}, ${YUM_PIDFILE}"; done
}
# yum failed only because of its lock (exit_on_lock)? Then wait; the caller retries.
retry_after_lock() { grep -q 'holding the yum lock' "$YUM_OUT" && lock_pause "reported by yum"; }

hotfix_installed() {
  rpm -q "$HOTFIX_PKG" >/dev/null 2>&1 && return 0
  rpm -qa --qf '%{NAME}.%{ARCH}\n' "${HOTFIX_PREFIX}-*" 2>/dev/null | grep -qxF "$HOTFIX_PKG"
}

verify_hotfix() {
  hotfix_installed || finish "$E_VERIFY" VERIFY_FAILED \
    "${HOTFIX_PKG} is not installed after yum reported success (kernel ${KERNEL})"
  log INFO "rpm: ${HOTFIX_PKG} is installed"
  if ! command -v kpatch >/dev/null 2>&1; then
    log WARN "kpatch not found: cannot confirm that hotfix ${HOTFIX_ID} is loaded"
    return 0
  fi
  local listing
  listing="$(kpatch list 2>&1)"
  printf '%s\n' "$listing"
  if printf '%s\n' "$listing" | sed -n '/^Loaded patch modules:/,/^Installed patch modules:/p' |
    grep -v '^Installed patch modules:' | grep -q "$HOTFIX_ID"; then
    log INFO "kpatch: hotfix ${HOTFIX_ID} is loaded into kernel ${KERNEL}"
  else
    finish "$E_VERIFY" VERIFY_FAILED "${HOTFIX_PKG} is installed but 'kpatch list' shows ${HOTFIX_ID} not loaded (kernel ${KERNEL})"
  fi
}

apply_hotfix() {
  # The package name follows the advisory exactly: the last '-' field of `uname -r`, which
  # includes the architecture (e.g. kernel-hotfix-4375449-22.2.al7.x86_64).
  HOTFIX_PKG="${HOTFIX_PREFIX}-$(uname -r | awk -F"-" '{print $NF}')"
  if hotfix_installed; then
    log INFO "${HOTFIX_PKG} is already installed; checking that it is loaded"
    verify_hotfix
    disarm_boot_unit
    finish "$E_OK" ALREADY_APPLIED "hotfix ${HOTFIX_ID} already applied on kernel ${KERNEL}; nothing changed"
  fi
  log INFO "kernel ${KERNEL} is in the hotfix range: installing ${HOTFIX_PKG}"
  local rc
  while :; do
    wait_for_yum_lock
    yum install -y --setopt=exit_on_lock=1 "$HOTFIX_PKG" 2>&1 | tee "$YUM_OUT"
    rc=${PIPESTATUS[0]}
    [ "$rc" -eq 0 ] && break
    retry_after_lock && continue
    if grep -qiE 'No package .* available|No match for argument|Nothing to do' "$YUM_OUT"; then
      finish "$E_PKG_MISSING" HOTFIX_PACKAGE_MISSING \
        "package ${HOTFIX_PKG} is not available in the yum repositories for kernel ${KERNEL}: the instance is still exposed"
    fi
    finish "$E_YUM" YUM_FAILED "yum install ${HOTFIX_PKG} failed with exit ${rc} (kernel ${KERNEL})"
  done
  verify_hotfix
  disarm_boot_unit
  finish "$E_OK" HOTFIX_APPLIED "hotfix ${HOTFIX_ID} installed and verified on kernel ${KERNEL}; no reboot needed"
}

newest_installed_kernel() {
  local k newest=""
  while IFS= read -r k || [ -n "$k" ]; do
    kernel_fields "$k" >/dev/null || continue
    if [ -z "$newest" ] || [ "$(version_cmp "$k" "$newest")" = 1 ]; then newest="$k"; fi
  done < <(rpm -q kernel --qf '%{VERSION}-%{RELEASE}.%{ARCH}\n' 2>/dev/null)
  printf '%s\n' "$newest"
}

# After a kernel update, a one-shot unit runs this script at the next boot (it applies the
# hotfix if the new kernel still needs it, then removes itself).
arm_boot_unit() {
  local self="${BASH_SOURCE[0]:-}"
  if [ -z "$self" ] || [ ! -f "$self" ] || [ ! -r "$self" ]; then
    log WARN "not run from a file, cannot arm the boot unit: run this script again after the reboot"
    return 0
  fi
  if [ "$self" != "$BOOT_COPY" ]; then
    if ! mkdir -p "${BOOT_COPY%/*}" || ! install -m 0700 "$self" "$BOOT_COPY"; then
      log WARN "could not write ${BOOT_COPY}: run this script again after the reboot"; return 0
    fi
  fi
  cat >"$UNIT_FILE" <<EOF || { log WARN "could not write ${UNIT_FILE}"; return 0; }
[Unit]
Description=alinux-guard: apply ${HOTFIX_PREFIX} after a kernel update (one shot)
Wants=network-online.target
After=network-online.target
ConditionPathExists=${BOOT_COPY}

[Service]
Type=oneshot
Environment=ALINUX_HOTFIX_BOOT_RUN=1
ExecStart=${BOOT_COPY}
TimeoutStartSec=1800
StandardOutput=journal+console

[Install]
WantedBy=multi-user.target
EOF
  systemctl daemon-reload >/dev/null 2>&1
  if systemctl enable "$UNIT_NAME"; then
    log INFO "armed ${UNIT_NAME}: the next boot applies the hotfix if the new kernel needs it"
  else
    log WARN "systemctl enable ${UNIT_NAME} failed: run this script again after the reboot"
  fi
}

disarm_boot_unit() {
  [ "$ALINUX_HOTFIX_BOOT_RUN" = 1 ] || [ -e "$UNIT_FILE" ] || return 0
  systemctl disable "$UNIT_NAME" >/dev/null 2>&1
  rm -f "$UNIT_FILE" "$BOOT_COPY"
  log INFO "removed the one-shot boot unit ${UNIT_NAME}"
}

update_kernel() {
  if [ "$ALINUX_HOTFIX_BOOT_RUN" = 1 ]; then
    finish "$E_NO_FIXED_KERNEL" NO_FIXED_KERNEL \
      "kernel ${KERNEL} (older than ${RANGE_LOW}.al7) still runs after the reboot: check the boot loader default"
  fi
  log INFO "kernel ${KERNEL} is older than ${RANGE_LOW}.al7: yum update kernel (as the advisory says)"
  local rc
  while :; do
    wait_for_yum_lock
    yum update -y --setopt=exit_on_lock=1 kernel 2>&1 | tee "$YUM_OUT"
    rc=${PIPESTATUS[0]}
    [ "$rc" -eq 0 ] && break
    retry_after_lock && continue
    finish "$E_YUM" YUM_FAILED "yum update kernel failed with exit ${rc} (running kernel ${KERNEL})"
  done
  local newest
  newest="$(newest_installed_kernel)"
  if [ -z "$newest" ] || [ "$(version_cmp "$newest" "$KERNEL")" != 1 ] ||
    [ "$(classify "$newest")" = older ]; then
    finish "$E_NO_FIXED_KERNEL" NO_FIXED_KERNEL \
      "no kernel at or after ${RANGE_LOW}.al7 is available (newest installed: ${newest:-none}); kernel ${KERNEL} stays affected"
  fi
  if [ "$(classify "$newest")" = hotfix ]; then
    log INFO "installed kernel ${newest}: still in the hotfix range, hotfix follows after the reboot"
  else
    log INFO "installed kernel ${newest}: not affected"
  fi
  arm_boot_unit
  if [ "$ALINUX_HOTFIX_ALLOW_REBOOT" = yes ]; then
    if shutdown -r "+${ALINUX_HOTFIX_REBOOT_DELAY_MINUTES}" "alinux-guard: rebooting into kernel ${newest}"; then
      finish "$E_OK" REBOOT_SCHEDULED \
        "reboot into ${newest} scheduled in ${ALINUX_HOTFIX_REBOOT_DELAY_MINUTES} min (allowed by the caller)"
    fi
    log ERROR "could not schedule the reboot"
  fi
  finish "$E_REBOOT_REQUIRED" REBOOT_REQUIRED \
    "REBOOT PENDING: ${newest} is installed but the affected ${KERNEL} still runs; this run may not reboot - reboot the instance"
}

main() {
  log INFO "start (${HOTFIX_PREFIX}; allow reboot: ${ALINUX_HOTFIX_ALLOW_REBOOT}; boot run: ${ALINUX_HOTFIX_BOOT_RUN})"
  local v
  for v in ALINUX_HOTFIX_LOCK_WAIT_SECONDS ALINUX_HOTFIX_LOCK_POLL_SECONDS ALINUX_HOTFIX_REBOOT_DELAY_MINUTES; do
    is_uint "${!v}" || finish "$E_ENV" BAD_SETTING "${v} must be a whole number, got '${!v}'"
  done
  case "$ALINUX_HOTFIX_ALLOW_REBOOT" in yes | no) ;; *)
    finish "$E_ENV" BAD_SETTING "ALINUX_HOTFIX_ALLOW_REBOOT must be yes or no, got '${ALINUX_HOTFIX_ALLOW_REBOOT}'" ;;
  esac
  ((ALINUX_HOTFIX_LOCK_POLL_SECONDS > 0)) || ALINUX_HOTFIX_LOCK_POLL_SECONDS=1

  local os_id os_version
  os_id="$(os_release_value ID || true)"
  os_version="$(os_release_value VERSION_ID || true)"
  if [ "$os_version" != "2.1903" ] || { [ "$os_id" != alinux ] && [ "$os_id" != aliyun ]; }; then
    disarm_boot_unit
    finish "$E_OK" NOT_APPLICABLE \
      "not Alibaba Cloud Linux 2.1903 (/etc/os-release ID='${os_id}' VERSION_ID='${os_version}'): nothing to do"
  fi
  [ "$(id -u)" = 0 ] || finish "$E_ENV" NOT_ROOT "must run as root"
  for v in uname awk rpm yum; do
    command -v "$v" >/dev/null 2>&1 || finish "$E_ENV" MISSING_TOOL "required command '${v}' not found"
  done

  KERNEL="$(uname -r)"
  kernel_fields "$KERNEL" >/dev/null || finish "$E_UNKNOWN_KERNEL" UNKNOWN_KERNEL \
    "cannot read kernel '${KERNEL}' as an Alibaba Cloud Linux 2 (al7) build; not touching it"
  YUM_OUT="$(mktemp)" || finish "$E_ENV" NO_TEMP "mktemp failed"
  trap 'rm -f "$YUM_OUT"' EXIT

  case "$(classify "$KERNEL")" in
    fixed)
      disarm_boot_unit
      finish "$E_OK" NOT_AFFECTED "kernel ${KERNEL} is after ${RANGE_HIGH}.al7: not affected, nothing to do" ;;
    hotfix) apply_hotfix ;;
    older) update_kernel ;;
  esac
}

main "$@"
