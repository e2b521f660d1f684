// Writes a catalogue of N procedures (default 2,000) for load tests: the 130 real ones, then
// variants of them whose names carry the qualifiers real procedure lists use ("cấp lại",
// "có yếu tố nước ngoài", ...), so the vocabulary and name lengths stay realistic.
//
//   node bench/enlarge_catalogue.mjs data/procedures.json OUT.json [N]
import { readFileSync, writeFileSync } from 'node:fs';

const [, , input, output, n = '2000'] = process.argv;
const base = JSON.parse(readFileSync(input, 'utf8'));
const qualifiers = [
  ['cấp lại', 'reissue'], ['cấp đổi', 'renewal'], ['điều chỉnh', 'amendment'],
  ['có yếu tố nước ngoài', 'with a foreign element'], ['cho người nước ngoài', 'for foreigners'],
  ['trường hợp bị mất', 'when lost'], ['trường hợp bị hỏng', 'when damaged'],
  ['tại khu công nghiệp', 'in industrial parks'], ['cho hộ gia đình', 'for households'],
  ['cho tổ chức', 'for organisations'], ['liên thông', 'combined'], ['gia hạn', 'extension'],
  ['bổ sung thông tin', 'additional information'], ['thu hồi', 'revocation'],
  ['đối với người khuyết tật', 'for people with disabilities'],
];
const out = base.map((p) => ({ ...p }));
for (let i = 0; out.length < Number(n); i++) {
  const p = base[i % base.length];
  const [vi, en] = qualifiers[Math.floor(i / base.length) % qualifiers.length];
  const round = Math.floor(i / (base.length * qualifiers.length));
  out.push({
    ...p,
    code: `9.${String(100000 + i).padStart(6, '0')}`,
    name_vi: `${p.name_vi} ${vi}${round ? ` (đợt ${round + 1})` : ''}`,
    name_en: `${p.name_en}, ${en}`,
  });
}
writeFileSync(output, JSON.stringify(out));
console.log(`wrote ${out.length} procedures to ${output}`);
