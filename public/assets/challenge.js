// The form's challenge with JavaScript: the ALTCHA widget (/assets/altcha.js, served by this site) solves a
// proof of work by itself; once it has, the question for readers without JavaScript is hidden and the form may
// be sent. No third-party service is involved.
(function () {
  'use strict';
  var box = document.querySelector('fieldset.challenge');
  if (!box || !window.customElements) return;
  var form = box.closest('form');
  var widget = box.querySelector('altcha-widget');
  var status = box.querySelector('.challenge-status');
  var question = box.querySelector('.challenge-question');
  var done = false;
  if (status) status.textContent = '正在自动完成人机验证……';
  if (widget) widget.addEventListener('statechange', function (e) {
    var state = e.detail && e.detail.state;
    if (state === 'verified') {
      done = true;
      if (status) status.textContent = '人机验证已自动完成。';
      if (question) question.hidden = true;
    } else if (state === 'error' || state === 'expired') {
      if (status) status.textContent = '自动验证未能完成，请填写下面问题的答案。';
    }
  });
  if (form) form.addEventListener('submit', function (e) {
    if (!done && !(form.querySelector('input[name="challengeAnswer"]') || {}).value) {
      e.preventDefault();
      if (status) status.textContent = '人机验证尚未完成，请稍候再提交。';
    }
  });
})();
