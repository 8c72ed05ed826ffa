// Solves the form's proof-of-work challenge (SHA-256 with leading zero bits) with Web Crypto, so that a
// person with JavaScript need not answer the arithmetic question. No third-party service is involved.
(function () {
  'use strict';
  var box = document.querySelector('fieldset.challenge');
  if (!box || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
  var form = box.closest('form');
  var token = box.querySelector('input[name="challenge"]').value;
  var bits = Number(box.getAttribute('data-challenge-bits')) || 16;
  var nonceInput = box.querySelector('input[name="challengeNonce"]');
  var status = box.querySelector('.challenge-status');
  var question = box.querySelector('.challenge-question');
  var enc = new TextEncoder();
  function zeroBits(buf) {
    var b = new Uint8Array(buf), n = 0;
    for (var i = 0; i < b.length; i++) {
      if (b[i] === 0) { n += 8; continue; }
      n += Math.clz32(b[i]) - 24; break;
    }
    return n;
  }
  var done = false;
  function solve(i) {
    var batch = [];
    for (var k = 0; k < 64; k++) batch.push(i + k);
    return Promise.all(batch.map(function (n) {
      var nonce = n.toString(36);
      return crypto.subtle.digest('SHA-256', enc.encode(token + ':' + nonce)).then(function (h) {
        return zeroBits(h) >= bits ? nonce : null;
      });
    })).then(function (found) {
      for (var j = 0; j < found.length; j++) if (found[j] !== null) return found[j];
      return solve(i + 64);
    });
  }
  if (status) status.textContent = '正在自动完成人机验证……';
  solve(0).then(function (nonce) {
    nonceInput.value = nonce;
    done = true;
    if (status) status.textContent = '人机验证已自动完成。';
    if (question) question.hidden = true;
  });
  if (form) form.addEventListener('submit', function (e) {
    if (!done && !(form.querySelector('input[name="challengeAnswer"]') || {}).value) {
      e.preventDefault();
      if (status) status.textContent = '人机验证尚未完成，请稍候再提交。';
    }
  });
})();
