import json,sys,collections,subprocess
f=sys.argv[1]; thread=sys.argv[2]; root=sys.argv[3]; depth=int(sys.argv[4])
tot=collections.Counter()
for ev in ['jdk.ExecutionSample','jdk.NativeMethodSample']:
    data=json.loads(subprocess.check_output(['jfr','print','--json','--stack-depth','200','--events',ev,f]))
    for e in data['recording']['events']:
        v=e['values']; t=(v.get('sampledThread') or {}).get('javaName','?')
        if t!=thread: continue
        fr=v['stackTrace']['frames'] if v.get('stackTrace') else []
        names=[x['method']['type']['name'].split('/')[-1]+'.'+x['method']['name'] for x in fr][::-1]
        idx=[i for i,n in enumerate(names) if root in n]
        if not idx: continue
        i=idx[0]
        path=names[i:i+depth+1]
        for d in range(1,len(path)+1):
            tot[(ev[4:8],' > '.join(path[:d]))]+=1
for (ev,k),c in sorted(tot.items(), key=lambda x:(x[0][0], x[0][1])):
    if c>=int(sys.argv[5]): print(ev,c,k)
