/**
 * Start bodies for the measurement: realistic inputs of every type, half in Japanese (the guide's
 * users) and half in English, with and without the optional fields. Prompts embed the input twice
 * (readable and in the `<request>` block), so input length drives the input tokens.
 */
import type { ProcessType } from '../../guide';

const GOALS = [
  {
    title: 'フルマラソンを4時間以内で完走する',
    description: '週5日のトレーニングで、来年秋の大会までに記録を30分縮めたい',
    deadline: '2027-10-31',
  },
  { title: '英語でプレゼンテーションができるようになる', description: '海外の顧客向けに月1回の製品説明を担当するため' },
  {
    title: 'Run a marathon under four hours',
    description: 'Train five days a week and cut thirty minutes off my time',
    deadline: '2027-10-04',
  },
  { title: 'Launch a small online shop for handmade ceramics' },
] as const;

const SUBGOALS = [
  { title: '基礎体力をつける', description: '毎朝のジョギングと週2回の筋力トレーニング' },
  { title: '語彙と表現を増やす' },
  { title: 'Build the core skills', description: 'Practise the skills that matter most for the race' },
  { title: 'Set up a weekly routine' },
] as const;

const ACTIONS = [
  { title: '毎朝30分ジョギングする', description: '出勤前に近所の公園を走る', kind: 'habit' },
  { title: 'オンライン英会話を申し込む', kind: 'execution' },
  { title: 'Draft a one-page training plan', description: 'Weekly mileage, rest days and two test races', kind: 'execution' },
  { title: 'Review progress every Sunday' },
] as const;

/** The i-th start body of a type (inputs cycle). */
export function startInput(type: ProcessType, i: number): Record<string, unknown> {
  const k = i % GOALS.length;
  switch (type) {
    case 'SUBGOAL_GENERATION':
      return { goal: GOALS[k] };
    case 'ACTION_GENERATION':
      return { goal: GOALS[k], subgoal: SUBGOALS[k] };
    case 'TASK_GENERATION':
      return { action: ACTIONS[k] };
  }
}
