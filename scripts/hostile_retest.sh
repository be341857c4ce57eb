#!/usr/bin/env bash
# By-hand hostile retest (the trust fixes) against gunicorn + PostgreSQL + Redis with production settings.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379 (database 7 is flushed).
# Usage: scripts/hostile_retest.sh   (prints what each attack got; compare with docs/trust.md)
WORK=$(mktemp -d)
set -uo pipefail
cd "$(dirname "$0")/.."
DB=portal_hostile
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" test >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" test >/dev/null
export DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/$DB
export PORTAL_INSTANCE_DIR="$WORK/instance"; mkdir -p "$PORTAL_INSTANCE_DIR"
export SECRET_KEY=hostile-test-secret-key-0123456789abcdef
PORTAL_ENV=development .venv/bin/portal db upgrade heads >/dev/null 2>&1
PORTAL_ENV=development .venv/bin/portal demo > "$WORK"/demo.txt 2>&1
echo "== 11. portal demo in production:"; PORTAL_ENV=production .venv/bin/portal demo 2>&1 | tail -1; echo "exit ${PIPESTATUS[0]}"
PASS=$(grep -oiE "password[^:]*: *\S+" "$WORK"/demo.txt | head -1 | awk '{print $NF}')
TOKEN=$(grep -oE "/r/[A-Za-z0-9_-]{40,}" "$WORK"/demo.txt | head -1 | cut -c4-)
start() { # port, redis uri
  PORTAL_ENV=production SESSION_COOKIE_SECURE=false RATELIMIT_STORAGE_URI=$2 GUNICORN_WORKERS=4 \
  GUNICORN_ACCESS_LOG="$WORK"/access-$1.log \
  .venv/bin/gunicorn -c gunicorn.conf.py -b 127.0.0.1:$1 "portal:create_app()" > "$WORK"/gunicorn-$1.log 2>&1 &
  for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:$1/healthz && break; sleep 0.3; done
}
redis-cli -n 7 flushdb >/dev/null; start 8711 redis://127.0.0.1:6379/7
B=http://127.0.0.1:8711
csrf() { grep -oE 'name="csrf_token"( type="hidden")? value="[^"]+"' | head -1 | sed -E 's/.*value="([^"]+)"/\1/'; }
signin() { # jar, email, password, next
  local t; t=$(curl -s -c $1 -b $1 "$B/auth/sign-in" | csrf)
  curl -s -o /dev/null -w "%{http_code} %{redirect_url}" -c $1 -b $1 -X POST "$B/auth/sign-in?next=$4" \
    --data-urlencode "csrf_token=$t" --data-urlencode "email=$2" --data-urlencode "password=$3"
}
echo "== 5. open redirect (expect dashboard):"
for n in "/%09/evil.example" "/%0a/evil" "//evil.example" "/%5cevil.example"; do
  rm -f "$WORK"/j; echo "  next=$n -> $(signin "$WORK"/j admin@example.org "$PASS" "$n")"; done
echo "== 4. cookie replay after sign-out:"
rm -f "$WORK"/j; signin "$WORK"/j admin@example.org "$PASS" "/admin/" >/dev/null
cp "$WORK"/j "$WORK"/saved
echo "  before sign-out: $(curl -s -o /dev/null -w '%{http_code}' -b "$WORK"/j $B/admin/)"
t=$(curl -s -b "$WORK"/j -c "$WORK"/j $B/admin/ | csrf)
echo "  sign-out: $(curl -s -o /dev/null -w "%{http_code} %{redirect_url}" -b "$WORK"/j -c "$WORK"/j -X POST $B/auth/sign-out --data-urlencode "csrf_token=$t")"
echo "  saved cookie after sign-out: $(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$WORK"/saved $B/admin/)"
echo "== 15. odd query strings (expect 400):"
rm -f "$WORK"/j; signin "$WORK"/j admin@example.org "$PASS" "/admin/" >/dev/null
for q in "reports/returns?iro=99999999999999999999" "reports/returns?period=0001-01-01..9999-12-31" "reports/feedback?period=0001-01-01..9999-12-31" "reports/monthly?iro=99999999999999999999" "children?q=%00" "audit?action=%00"; do
  echo "  /admin/$q -> $(curl -s -o /dev/null -w '%{http_code}' -b "$WORK"/j "$B/admin/$q")"; done
echo "== 6. locked vs unknown (same message?):"
for i in 1 2 3 4 5 6; do rm -f "$WORK"/k; signin "$WORK"/k iro.one@example.org wrong-password "/admin/" >/dev/null; done
msg() { rm -f "$WORK"/k; local t; t=$(curl -s -c "$WORK"/k -b "$WORK"/k "$B/auth/sign-in" | csrf)
  curl -s -w " %{time_total}s" -c "$WORK"/k -b "$WORK"/k -X POST "$B/auth/sign-in" --data-urlencode "csrf_token=$t" \
    --data-urlencode "email=$1" --data-urlencode "password=$2" | grep -oE 'Enter a correct[^<]*|locked[^<]*| [0-9.]+s$' | tr '\n' ' '; echo; }
echo "  locked:  $(msg iro.one@example.org "$PASS")"; echo "  unknown: $(msg nobody-$RANDOM@example.org "$PASS")"
echo "== 9. percent-encoded token in the access log:"
ENC=$(python3 -c "import sys; t=sys.argv[1]; print(''.join('%%%02X'%ord(c) for c in t[:3])+t[3:])" "$TOKEN")
echo "  /r/<encoded> -> $(curl -s -o /dev/null -w '%{http_code}' "$B/r/$ENC")"
sleep 1; if grep -q "${TOKEN:3:20}" "$WORK"/access-8711.log; then echo "  TOKEN IN LOG"; else echo "  token not in log: $(grep -c '/r/' "$WORK"/access-8711.log) /r/ lines, e.g. $(grep '/r/' "$WORK"/access-8711.log | tail -1 | cut -c1-120)"; fi
echo "== 19/12. healthz:"; curl -s $B/healthz; echo
echo "== 14. Redis unreachable:"
start 8712 redis://127.0.0.1:1
B=http://127.0.0.1:8712
echo "  /r/<token> $(curl -s -o /dev/null -w '%{http_code}' $B/r/$TOKEN)  /q $(curl -s -o /dev/null -w '%{http_code}' $B/q)  /auth/sign-in $(curl -s -o /dev/null -w '%{http_code}' $B/auth/sign-in)"
rm -f "$WORK"/j; echo "  sign in: $(signin "$WORK"/j admin@example.org "$PASS" /admin/)"
echo "  healthz: $(curl -s -w ' %{http_code}' $B/healthz)"
echo "== 10. outbox file modes after send-due:"
PORTAL_ENV=production .venv/bin/portal send-due 2>&1 | tail -1
ls -l $PORTAL_INSTANCE_DIR/outbox 2>/dev/null | awk 'NR>1{print $1}' | sort | uniq -c
pkill -f "127.0.0.1:871[12]" ; sleep 1
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" test >/dev/null
