#!/bin/sh
# A stand-in codex for probe tests. FAKE_MODE picks the misbehaviour; fixtures sit beside it.
here=$(dirname "$0")
[ "$1" = "--disable" ] && shift 4
case "$FAKE_MODE:$*" in
  *:--version)
    case "$FAKE_MODE" in
      garbage) printf '\033[31mSegmentation fault (core dumped)\033[0m\n' ;;
      *) echo "codex-cli 0.169.0" ;;
    esac ;;
  *:"features list")
    if [ "$FAKE_MODE" = odd ]; then cat "$here/features_list_odd.txt"; else cat "$here/features_list_0.169.0.txt"; fi ;;
  hang:*--help)
    sleep 30 &
    echo $! >> "$FAKE_PIDS"
    echo $$ >> "$FAKE_PIDS"
    wait ;;
  *:"--help") cat "$here/help_root_0.169.0.txt" ;;
  *:"exec resume --help") cat "$here/help_exec_resume_0.169.0.txt" ;;
  # Without fork this CLI prints the exec page for `exec fork --help`, as 0.169.0 does for unknown words.
  *:"exec --help"|*:"exec fork --help"|*:"exec review --help") cat "$here/help_exec_0.169.0.txt" ;;
  *:"app-server --help"|*:"login --help")
    echo "error: unrecognized subcommand '$1'" >&2
    exit 2 ;;
  *) echo "unexpected: $*" >&2; exit 3 ;;
esac
