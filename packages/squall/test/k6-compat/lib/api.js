import http from 'k6/http';
import { check } from 'k6';

export function getItem(base, id) {
  return http.get(`${base}/items/${id}`);
}

export function login(base, user) {
  const res = http.post(`${base}/form`, { user });
  check(res, { 'logged in': (r) => r.status === 200 });
  return res;
}

export const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function withRetry(fn, times) {
  for (let i = 0; i < times; i++) {
    const res = fn();
    if (res.status === 200) return res;
  }
  return undefined;
}
