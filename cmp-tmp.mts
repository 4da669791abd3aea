import { Tokenizer } from "/tmp/hf/node_modules/tokenizers/index.js";
import { writeFileSync, readFileSync } from 'node:fs';
import { learnBpe } from './strategies/sequence/bpe-merges.ts';
let s = 12345;
const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
const seqs: string[] = [];
for (let i = 0; i < 300; i++) { let q = ''; const n = 50 + Math.floor(rnd() * 100); for (let j = 0; j < n; j++) q += 'ACGTN'[rnd() < 0.02 ? 4 : Math.floor(rnd() * 4)]; seqs.push(q); }
seqs.push(seqs[0], seqs[1]);
writeFileSync('/tmp/hf/corpus.txt', seqs.join('\n') + '\n');
const spec = { version: '1.0', truncation: null, padding: null, added_tokens: [], normalizer: { type: 'Strip', strip_left: false, strip_right: true }, pre_tokenizer: null, post_processor: null, decoder: null,
  model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: {}, merges: [] } };
const tok = Tokenizer.fromString(JSON.stringify(spec));
tok.train(['/tmp/hf/corpus.txt']);
tok.save('/tmp/hf/out.json');
const j = JSON.parse(readFileSync('/tmp/hf/out.json', 'utf8'));
const hfMerges: string[] = j.model.merges.map((m: any) => Array.isArray(m) ? m.join(' ') : m);
const ours = learnBpe(seqs, 100000, []);
const ourMerges = ours.merges.map(([a, b]) => `${ours.vocab[a]} ${ours.vocab[b]}`);
console.log('hf', hfMerges.length, 'ours', ourMerges.length, 'hf vocab', Object.keys(j.model.vocab).length, 'our vocab', ours.vocab.length);
let same = 0; while (same < Math.min(hfMerges.length, ourMerges.length) && hfMerges[same] === ourMerges[same]) same++;
console.log('identical prefix', same, hfMerges.slice(same, same + 3), ourMerges.slice(same, same + 3));
console.log(Object.keys(j.model.vocab).slice(0, 8));
const hfVocab = Object.entries(j.model.vocab).sort((a: any, b: any) => a[1] - b[1]).map((e) => e[0]);
let sv = 0; while (sv < hfVocab.length && hfVocab[sv] === ours.vocab[sv]) sv++;
console.log('vocab identical prefix', sv, hfVocab.slice(sv, sv+3), ours.vocab.slice(sv, sv+3));
// encode check
const enc = tok.encode ? null : null;
