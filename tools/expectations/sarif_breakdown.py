import json, collections, sys
sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
import compute
for f in sys.argv[1:]:
    d=json.load(open(f, encoding='utf-8-sig'))
    print('=====', f)
    for run in d['runs']:
        drv=run['tool']['driver']; rules=drv.get('rules') or []
        print('RUN', repr(drv['name']), drv.get('version') or drv.get('semanticVersion'), 'rules', len(rules), 'results', len(run.get('results') or []))
        c=collections.Counter()
        st=collections.Counter()
        for r in run.get('results') or []:
            rule=compute.resolve_rule(run, r, st)
            p=rule.get('properties') or {}
            c[(r.get('ruleId'), r.get('ruleIndex'), r.get('level'), (rule.get('defaultConfiguration') or {}).get('level'), p.get('security-severity'), tuple(t for t in p.get('tags',[]) if not t.startswith('external')), r.get('kind'), json.dumps(r.get('suppressions')), r.get('baselineState'))]+=1
        for k,v in sorted(c.items(), key=str): print(v,k)
        print(dict(st))
