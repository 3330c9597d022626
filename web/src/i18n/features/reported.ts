// Messages of 上报件 (行政许可法 第三十五条、第四十三条): received and first reviewed below, decided one
// level up; the applicant sees one case.
export default {
  reported: {
    upperExtension: '上报件的上级部门分件：经本部门分管领导批准，可延长不超过{days}个工作日（行政许可法第四十二条）；批准后申请人的办结期限同步顺延，并告知延期理由。',
    waitingUpper: '已上报上级部门审批，上级部门作出决定后由本窗口办结送达。',
    preliminaryOpinion: '初审意见',
    preliminaryPlaceholder: '写明受理后审查和现场核查的情况及处理建议，由分管领导签署后连同全部申请材料报上级部门',
    timelinePreliminary: '提交初审意见',
    reportOpinion: '上报意见（签署意见）',
    reportPlaceholder: '签署对初审意见的意见，如：同意初审意见，报上级部门审批。全部申请材料随件上报（行政许可法第三十五条）',
    progress: {
      title: '上级部门审批进度',
      intro: '本事项由受理部门初审后报上级部门决定（行政许可法第三十五条），上级部门不会要求您重复提交申请材料。',
    },
    from: {
      title: '下级部门上报',
      intro: '本件由下级部门受理并初审后上报本部门决定：申请材料随件上报，不得要求申请人重复提供（行政许可法第三十五条）。',
      department: '受理初审部门',
      preliminary: '初审意见',
      preliminaryBy: '初审人',
      report: '上报意见',
      reportedBy: '上报人',
      reportedAt: '上报时间',
    },
    catalog: {
      flow: '办理类型',
      upperText: '由{lower}受理并初审，报{upper}作出决定（行政许可法第三十五条：上级部门不要求申请人重复提供申请材料）',
    },
    admin: {
      upperDepartment: '上级审批部门',
      upperHint: '上报件：本部门受理初审后，报该部门作出决定',
    },
  },
}
