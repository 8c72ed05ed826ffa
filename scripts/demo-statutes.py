#!/usr/bin/env python3
"""Builds public/demo/statutes.jsonl.gz, the statute excerpt the demo quotes in item bodies.

Source: ../shared/corpus (LawRefBook/Laws, texts from 国家法律法规数据库 flk.npc.gov.cn). Laws and
administrative regulations are excluded from copyright protection (著作权法 第五条). For each statute: its
title, date, source and the first articles (up to about 3,000 characters). Run from the repository root.
"""
import gzip, json, re
WANT = {
    'npc': ['中华人民共和国旅游法', '中华人民共和国文物保护法', '中华人民共和国公共文化服务保障法', '中华人民共和国教育法', '中华人民共和国义务教育法',
            '中华人民共和国学前教育法', '中华人民共和国建筑法', '中华人民共和国城乡规划法', '中华人民共和国城市房地产管理法', '中华人民共和国环境保护法',
            '中华人民共和国大气污染防治法', '中华人民共和国噪声污染防治法', '中华人民共和国食品安全法', '中华人民共和国特种设备安全法', '中华人民共和国价格法',
            '中华人民共和国行政许可法', '中华人民共和国行政处罚法', '中华人民共和国政府采购法', '中华人民共和国突发事件应对法', '中华人民共和国公务员法',
            '中华人民共和国预算法', '中华人民共和国安全生产法', '中华人民共和国就业促进法', '中华人民共和国社会保险法', '中华人民共和国老年人权益保障法'],
    'gwy': ['中华人民共和国政府信息公开条例', '优化营商环境条例', '物业管理条例'],
}
ARTICLE = re.compile(r'^第[一二三四五六七八九十百零]+条')
out = []
for f, titles in WANT.items():
    best = {}
    with gzip.open(f'../shared/corpus/{f}.jsonl.gz', 'rt', encoding='utf-8') as fh:
        for line in fh:
            d = json.loads(line)
            if d['title'] in titles and d['publishedOn'] >= best.get(d['title'], {}).get('publishedOn', ''):
                best[d['title']] = d
    for t in titles:
        d = best[t]
        arts, size = [], 0
        for l in d['body'].split('\n'):
            l = l.strip()
            if ARTICLE.match(l):
                if size > 3000: break
                arts.append(l); size += len(l)
            elif arts and l and not l.startswith('第') and size <= 3000:
                arts[-1] += '\n' + l; size += len(l)
        out.append({'title': t, 'publishedOn': d['publishedOn'], 'source': '国家法律法规数据库（经 LawRefBook/Laws）', 'articles': arts})
with gzip.open('public/demo/statutes.jsonl.gz', 'wt', encoding='utf-8', compresslevel=9) as fh:
    for o in out: fh.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), 'statutes', sum(len(''.join(o['articles'])) for o in out), 'characters')
