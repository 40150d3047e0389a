// A quiz on a lesson page without a kernel: the answer to a number question, as
// widgets.quiz.model.check and widgets.money.parse_amount give it. The page gets every answer
// block from widgets.quiz.view.page_answers; here is only the reading of the number and the
// choice of the block. tests/quiz/test_page_quiz.py runs the same cases through this file
// (Node) and through the Python code.

const MINUS = /[\u2212\u2012\u2013\u2014\ufe63\uff0d]/g;

function grouped(digits, group) {
  const plain = digits.replace(/^0+(?=\d)/, '') || '0';
  let out = '';
  for (let end = plain.length; end > 0; end -= 3) {
    const part = plain.slice(Math.max(0, end - 3), end);
    out = out ? `${part}${group}${out}` : part;
  }
  return out;
}

function strictDecimal(text, decimal, group) {
  const plain = text.split(group).join('').split(decimal).join('.');
  if (!/^(\d+\.?\d*|\.\d+)$/.test(plain)) throw new Error('not_a_number');
  if (text.includes(group)) {
    const [whole, fraction = ''] = plain.split('.');
    const kept = fraction.replace(/0+$/, '');
    const proper = grouped(whole, group) + (kept ? decimal + kept : '');
    const at = text.indexOf(decimal);
    let trimmed = text;
    if (at >= 0 && text.length > at + decimal.length) {
      const decimals = text.slice(at + decimal.length).replace(/0+$/, '');
      trimmed = text.slice(0, at) + (decimals ? decimal + decimals : '');
    }
    if (text !== proper && trimmed !== proper) throw new Error('not_a_number');
  }
  return plain;
}

/** The number she typed, or an Error whose message is empty, too_large or not_a_number. */
export function readNumber(data, typed) {
  let text = String(typed).trim();
  if (data.percent) text = text.replace(/%+$/, '').trim();
  let raw = text.replace(MINUS, '-').replace(/\uff0b/g, '+');
  const own = new Set(data.own_signs.map((sign) => sign.toLowerCase()));
  for (const sign of data.signs) {
    const lower = sign.toLowerCase();
    if (!raw.toLowerCase().includes(lower)) continue;
    if (!own.has(lower)) throw new Error('not_a_number');  // another currency's sign
    raw = raw.replace(new RegExp(sign.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), ' ');
  }
  const cleaned = raw.trim();
  const negative = cleaned.startsWith('-');
  let body = (/^[+-]/.test(cleaned) ? cleaned.slice(1) : cleaned).replace(/\s+/g, ' ').trim();
  if (/^[+-]/.test(body)) throw new Error('not_a_number');
  if (body === '') throw new Error('empty');
  if (body.includes(' ')) {
    if (!/^\d{1,3}( \d{3})+([.,]\d+)?$/.test(body)) throw new Error('not_a_number');
    body = body.split(' ').join('');
  }
  let mantissa = body;
  let exponent = 0;
  const match = /^(.+?)[eE]([+-]?\d{1,3})$/.exec(body);
  if (match) {
    mantissa = match[1];
    exponent = parseInt(match[2], 10);
  }
  const allowed = `0123456789${data.decimal}${data.group}`;
  if (!mantissa || [...mantissa].some((ch) => !allowed.includes(ch)) || !/\d/.test(mantissa)) {
    throw new Error('not_a_number');
  }
  let value = parseFloat(`${strictDecimal(mantissa, data.decimal, data.group)}e${exponent}`);
  if (negative) value = -value;
  if (Math.abs(value) > data.maximum) throw new Error('too_large');
  return value + 0;
}

/** The answer block for a number (widgets.quiz.model.check's verdict), or an input error. */
export function numberAnswer(data, typed) {
  let value;
  try {
    value = readNumber(data, typed);
  } catch (error) {
    return { error: data.errors[error.message] || data.errors.not_a_number };
  }
  const near = (a, b) => Math.abs(a - b) <= data.tolerance + 1e-9;
  if (near(value, data.answer)) return { feedback: data.right };
  const mistake = data.mistakes.find(([wrong]) => near(value, wrong));
  if (mistake) return { feedback: mistake[1] };
  if (Math.abs(value - data.answer) <= data.close) return { feedback: data.close_feedback };
  return { feedback: data.wrong };
}

