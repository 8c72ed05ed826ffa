import { h } from 'preact';
import type { Challenge } from './challenge.service.js';

/**
 * The challenge inside a public form: the form's token, the ALTCHA widget (served from this site at /assets/altcha.js: its script
 * and the page script that hides the question once the widget has verified), and the question for readers
 * without JavaScript.
 */
export function ChallengeFields({ challenge, error }: { challenge: Challenge; error?: string }) {
  return (
    <fieldset class="challenge">
      <legend>人机验证</legend>
      <input type="hidden" name="challenge" value={challenge.token} />
      {error ? <p class="error-text" id="f-challenge-err" role="alert">{error}</p> : null}
      {h('altcha-widget', { challenge: challenge.altcha, name: 'altcha', language: 'zh-cn', auto: 'onload', hidefooter: '', hidelogo: '' })}
      <div class="field challenge-question">
        <label for="f-challengeAnswer">{challenge.question}</label>
        <p class="hint" id="f-challengeAnswer-hint">如果浏览器已启用脚本，验证会自动完成，可不填写此项。</p>
        <input id="f-challengeAnswer" name="challengeAnswer" inputMode="numeric" autocomplete="off" maxLength={3} aria-describedby="f-challengeAnswer-hint" />
      </div>
      <p class="challenge-status muted" aria-live="polite"></p>
      <script type="module" src="/assets/altcha.js"></script>
      <script src="/assets/challenge.js" defer></script>
    </fieldset>
  );
}
