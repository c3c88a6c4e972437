// Response.submitForm() and Response.clickLink(), as in k6's HTML examples.
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 2 };

function login(page) {
  return page.submitForm({ formSelector: '#login', fields: { user: 'ann' } });
}

export default function () {
  const page = http.get(`${__ENV.BASE}/html`);
  const posted = login(page);
  check(posted, {
    'form posted to its action': (r) => r.url.endsWith('/form') && r.json('method') === 'POST',
    'hidden field and filled field sent': (r) => r.json('body') === 'csrf=tok-123&user=ann',
  });
  const followed = page.clickLink({ selector: 'a[href="/json"]' });
  check(followed, { 'link followed': (r) => r.status === 200 && r.json('name') === 'squall' });
}
