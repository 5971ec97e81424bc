/**
 * The three likeliest categories for what the caller said, under the description as the agent types (a pause of
 * 400 ms, at least four characters), each with its confidence; choosing one sets the category. The API answers
 * from the nightly-trained model, or from the SOP keywords before there is one.
 */
import { useEffect, useState } from 'react';
import type { SopView } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { canSuggestCategory } from '../logic/navigation';

type Suggestions = Awaited<ReturnType<ReturnType<typeof useApp>['api']['suggestCategory']>>;

const PAUSE_MS = 400;
const MIN_CHARS = 4;

export function CategorySuggestions({ text, chosen, onChoose }: { text: string; chosen: string; onChoose: (sop: SopView) => void }) {
  const { api, reference, session } = useApp();
  const { t, pick } = useI18n();
  // The last answer stays while the agent types on (no flicker); the next pause replaces it.
  const [answered, setAnswered] = useState<{ text: string; answer?: Suggestions }>();
  const allowed = canSuggestCategory(session.user.role);
  const trimmed = text.trim();
  const wanted = allowed && Array.from(trimmed).length >= MIN_CHARS;
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    const timer = setTimeout(() => {
      api.suggestCategory(trimmed).then(
        (answer) => live && setAnswered({ text: trimmed, answer }),
        // A suggestion is a help, never in the way: a failed one shows nothing.
        () => live && setAnswered({ text: trimmed }),
      );
    }, PAUSE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, wanted, trimmed]);
  const answer = wanted ? answered?.answer : undefined;
  if (!answer?.suggestions.length) return null;
  return (
    <div className="category-suggestions" data-testid="category-suggestions" data-source={answer.source}>
      <span className="muted">{t(answer.source === 'model' ? 'intake.suggestedByModel' : 'intake.suggestedByKeywords')}</span>
      {answer.suggestions.map((s) => {
        const sop = reference.sops.find((x) => x.category === s.category);
        if (!sop) return null;
        return (
          <button
            key={s.category}
            type="button"
            className={`chip${s.category === chosen ? ' chosen' : ''}`}
            data-category={s.category}
            aria-pressed={s.category === chosen}
            onClick={() => onChoose(sop)}
          >
            {pick(sop.name)} <span className="muted">{Math.round(s.confidence * 100)}%</span>
          </button>
        );
      })}
    </div>
  );
}
