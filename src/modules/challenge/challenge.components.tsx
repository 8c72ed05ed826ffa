import type { Challenge } from './challenge.service.js';

/** The challenge inside a public form: a hidden token, the solver script, and the no-script question. */
export function ChallengeFields({ challenge, error }: { challenge: Challenge; error?: string }) {
  return (
    <fieldset class="challenge" data-challenge-bits={String(challenge.bits)}>
      <legend>人机验证</legend>
      <input type="hidden" name="challenge" value={challenge.token} />
      <input type="hidden" name="challengeNonce" value="" />
      {error ? <p class="error-text" id="f-challenge-err" role="alert">{error}</p> : null}
      <div class="field challenge-question">
        <label for="f-challengeAnswer">{challenge.question}</label>
        <p class="hint" id="f-challengeAnswer-hint">如果浏览器已启用脚本，验证会自动完成，可不填写此项。</p>
        <input id="f-challengeAnswer" name="challengeAnswer" inputMode="numeric" autocomplete="off" maxLength={3} aria-describedby="f-challengeAnswer-hint" />
      </div>
      <p class="challenge-status muted" aria-live="polite"></p>
      <script src="/assets/challenge.js" defer></script>
    </fieldset>
  );
}
