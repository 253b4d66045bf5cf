# Prints the completions zsh offers for a command line, one per line: zsh driven on a
# pseudo-terminal (zpty), its compadd wrapped to print what it adds. Adapted from
# Valodim/zsh-capture-completion (MIT). Usage: COMPLETION_DIR=DIR zsh -f capture.zsh LINE,
# where DIR holds the completion function (_mfa-profile).
zmodload zsh/zpty || { echo 'error: missing module zsh/zpty' >&2; exit 1 }
zpty z zsh -f -i
local line
setopt rcquotes
() {
    zpty -w z source $1
    repeat 4; do
        zpty -r z line
        [[ $line == ok* ]] && return
    done
    echo 'error initializing.' >&2
    exit 2
} =( <<< '
PROMPT=
fpath=($COMPLETION_DIR $fpath)
autoload compinit
compinit -u -d $COMPLETION_DIR/zcompdump
bindkey ''^M'' undefined
bindkey ''^J'' undefined
bindkey ''^I'' complete-word
null-line () { echo -E - $''\0'' }
compprefuncs=( null-line )
comppostfuncs=( null-line exit )
zstyle '':completion:*'' list-grouped false
zstyle '':completion:*'' list-separator ''''
zmodload zsh/zutil
compadd () {
    if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
        builtin compadd "$@"
        return $?
    fi
    typeset -a __hits __dscr __tmp
    if (( $@[(I)-d] )); then
        __tmp=${@[$[${@[(i)-d]}+1]]}
        if [[ $__tmp == \(* ]]; then
            eval "__dscr=$__tmp"
        else
            __dscr=( "${(@P)__tmp}" )
        fi
    fi
    builtin compadd -A __hits -D __dscr "$@"
    setopt localoptions norcexpandparam extendedglob
    typeset -A apre hpre hsuf asuf
    zparseopts -E P:=apre p:=hpre S:=asuf s:=hsuf
    if [[ -n $__hits ]]; then
        for i in {1..$#__hits}; do
            echo -E - $IPREFIX$apre$hpre$__hits[$i]$hsuf$asuf
        done
    fi
}
echo ok')
zpty -w z "$*"$'\t'
integer tog=0
while zpty -r z; do :; done | while IFS= read -r line; do
    if [[ $line == *$'\0\r' ]]; then
        (( tog++ )) && return 0 || continue
    fi
    (( tog )) && echo -E - $line
done
return 2
