import http from 'k6/http';
import { check } from 'k6';
import { parseHTML } from 'k6/html';

export const options = { iterations: 1 };

export default function () {
  const res = http.get(`${__ENV.BASE}/html`);
  const doc = parseHTML(res.body);
  const names = doc.find('ul.items li').map((i, li) => li.text());
  const ids = [];
  doc.find('li').each((i, el) => ids.push(el.getAttribute('data-id')));
  check(doc, {
    title: (d) => d.find('title').text() === 'Shop',
    attr: (d) => d.find('h1').attr('id') === 'title',
    map: () => names.join(',') === 'Apple,Banana,Cherry',
    each: () => ids.join(',') === '1,2,3',
    'first/last/eq': (d) => d.find('li').first().text() === 'Apple' && d.find('li').last().text() === 'Cherry' && d.find('li').eq(1).text() === 'Banana',
    children: (d) => d.find('ul').children().size() === 3,
    val: (d) => d.find('input[name=csrf]').val() === 'tok-123',
    serialize: (d) => d.find('form').serialize() === 'csrf=tok-123&user=',
  });
  check(res, { 'res.html()': (r) => r.html().find('a').attr('href') === '/json' && r.html('li').size() === 3 });
  const token = res.html().find('input[name=csrf]').attr('value');
  const post = http.post(`${__ENV.BASE}/form`, { csrf: token, user: 'ann' });
  check(post, { 'form posted': (r) => r.json('body') === 'csrf=tok-123&user=ann' });
}
