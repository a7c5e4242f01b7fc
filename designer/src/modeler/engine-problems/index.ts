/** Engine deploy problems as markers and badges on the diagram. */
import EngineProblems from './EngineProblems';

export default {
  __init__: ['engineProblems'],
  engineProblems: ['type', EngineProblems],
};
