/** What the scripted users ask for: one valid `input` per process type (DESIGN §4). */
import type { ProcessType } from '../../guide';

export const VALID_INPUTS: Record<ProcessType, Record<string, unknown>> = {
  SUBGOAL_GENERATION: { goal: { title: 'Run a marathon', description: 'Finish a full marathon', deadline: '2027-03-01' } },
  ACTION_GENERATION: { goal: { title: 'Run a marathon' }, subgoal: { title: 'Build endurance', description: 'Run longer every week' } },
  TASK_GENERATION: { action: { title: 'Run 5 km three times a week', kind: 'habit' } },
};
