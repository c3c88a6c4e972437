import { http } from 'squall';

export default async function () {
  const x = ;
  await http.get('http://127.0.0.1:1/');
}
