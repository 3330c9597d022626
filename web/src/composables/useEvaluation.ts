import { evaluationEndpoints, type EvaluationEndpoints } from '@/api/evaluation'
import { useServices } from '@/services'

const made = new WeakMap<object, EvaluationEndpoints>()

/** The evaluation API calls on the app's client and tokens (made once per client). */
export function useEvaluation(): EvaluationEndpoints {
  const { client, tokens } = useServices()
  let evaluation = made.get(client)
  if (!evaluation) made.set(client, (evaluation = evaluationEndpoints(client, tokens)))
  return evaluation
}
