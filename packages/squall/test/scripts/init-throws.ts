const cfg = JSON.parse('{bad json');

export default async function () {
  return cfg;
}
