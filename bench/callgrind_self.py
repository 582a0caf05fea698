#!/usr/bin/env python3
# Self cost of each function in a callgrind dump (bench/callgrind_reads.sh), largest first:
#   bench/callgrind_self.py DUMP [N]
# callgrind_annotate printed the self cost of dumps taken after callgrind_control -z under
# (below main); this sums the cost lines of each fn= block, calls excluded.
import re,collections,sys
def selfcost(path):
    names={}; cur=None; self_=collections.Counter(); incall=False
    for line in open(path):
        line=line.rstrip('\n')
        m=re.match(r'^(c?fn)=\((\d+)\)(?: (.*))?$',line)
        if m:
            kind,i,n=m.groups()
            if n: names[i]=n
            if kind=='fn': cur=i
            continue
        if line.startswith('calls='): incall=True; continue
        if line and (line[0].isdigit() or line[0] in '+-*'):
            parts=line.split()
            if len(parts)>=2:
                if incall: incall=False; continue
                self_[cur]+=int(parts[1])
            continue
    return collections.Counter({names.get(k,k):v for k,v in self_.items()})
path=sys.argv[1]; n=int(sys.argv[2]) if len(sys.argv)>2 else 20
s=selfcost(path); tot=sum(s.values())
print('total',tot)
for f,c in s.most_common(n): print(f'{c:>12} {100*c/tot:5.1f}% {f[:120]}')
