// How the Test panel's cards say a widget's settings in words.

/**
 * 'yes' or 'no' for a flag: a boolean, or the "true"/"false" text Studio stores for some
 * (Capture Payments' postal_code); null for anything else.
 */
export function flagWord(value) {
  if (value === true || value === 'true') return 'yes';
  if (value === false || value === 'false') return 'no';
  return null;
}
