import json, collections, sys, re
sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
import compute
for f in sys.argv[1:]:
    d=json.load(open(f, encoding='utf-8-sig'))
    print('=====', f)
    for run in d['runs']:
        drv=run['tool']['driver']; rules=drv.get('rules') or []
        print('RUN', repr(drv['name']), drv.get('version'), 'rules', len(rules), 'results', len(run.get('results') or []))
        if rules: print(' rule0 props', json.dumps(rules[0].get('properties')), json.dumps(rules[0].get('defaultConfiguration')))
        c=collections.Counter()
        st=collections.Counter()
        for r in run.get('results') or []:
            rule=compute.resolve_rule(run, r, st)
            p=rule.get('properties') or {}
            tags=p.get('tags',[])
            tagsev=[t for t in tags if t in compute.TRIVY_WORDS]
            m=re.search(r"Severity: (\w+)", r['message']['text'])
            c[(tuple(tagsev), m and m.group(1), r.get('level'), p.get('security-severity'), tuple(t for t in tags if t in ('vulnerability','misconfiguration','secret','license')), r.get('kind'), json.dumps(r.get('suppressions')), r.get('baselineState'))]+=1
        for k,v in sorted(c.items(), key=str): print(v,k)
        print(dict(st))
