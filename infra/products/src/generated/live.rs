//! A product's WebSocket API in `template.yaml` (`Deployment::live`): the API with its three
//! routes and stage, the function behind them (the product's binary, `Handler: live`) with
//! its heartbeat schedule, the permission for API Gateway to invoke it, and the managed
//! policy that lets the functions which send events post to connections.

use std::fmt::Write;
use web::routes::deploy::{Deployment, LIVE_HANDLER, LIVE_STAGE};

/// The policy that lets a function post to the product's connections.
pub fn connections_policy(deployment: &Deployment) -> String {
    format!("{}ConnectionsPolicy", deployment.live_id())
}

/// `LIVE_ENDPOINT`: the stage's URL, which the management API is under.
pub fn endpoint(deployment: &Deployment) -> String {
    format!(
        "!Sub \"https://${{{}Api}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{LIVE_STAGE}\"",
        deployment.live_id()
    )
}

/// The WebSocket API's resources, or nothing for a product without one.
pub fn resources(deployment: &Deployment) -> String {
    let Some(live) = &deployment.live else {
        return String::new();
    };
    let id = deployment.live_id();
    let function = format!("{id}Function");
    let mut out = String::new();
    let _ = write!(
        out,
        r#"
  {id}Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: !Sub "${{AWS::StackName}}-{id}"
      ProtocolType: WEBSOCKET
      # No route but the three: every frame goes to $default.
      RouteSelectionExpression: $request.body.action

  {id}Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref {id}Api
      IntegrationType: AWS_PROXY
      IntegrationUri: !Sub "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{function}.Arn}}/invocations"
"#
    );
    for (name, key) in [
        ("Connect", "$connect"),
        ("Disconnect", "$disconnect"),
        ("Default", "$default"),
    ] {
        let _ = write!(
            out,
            r#"
  {id}{name}Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref {id}Api
      RouteKey: {key}
      Target: !Sub "integrations/${{{id}Integration}}"
"#
        );
    }
    let _ = write!(
        out,
        r#"
  {id}Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref {id}Api
      StageName: {LIVE_STAGE}
      AutoDeploy: true

  {id}Permission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref {function}
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{id}Api}}/*"

  {policy}:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Description: Posting to, reading and closing the connections of the {prefix} WebSocket API.
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action:
              - execute-api:ManageConnections
            Resource: !Sub "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{id}Api}}/{LIVE_STAGE}/*/@connections/*"

  {function}:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: makefile
      BuildProperties:
        Binary: {binary}
    Properties:
      Description: {description}
      CodeUri: .
      Handler: {LIVE_HANDLER}
      # Named, so that its policy can name it: it invokes itself once a connection is open.
      FunctionName: !Sub "${{AWS::StackName}}-{id}"
      Policies:
"#,
        policy = connections_policy(deployment),
        prefix = deployment.prefix,
        binary = live.binary,
        description = live.description,
    );
    for policy in deployment.policies {
        let _ = writeln!(out, "        - !Ref {policy}");
    }
    let _ = write!(
        out,
        r#"        - !Ref {policy}
        - Statement:
            - Effect: Allow
              Action:
                - lambda:InvokeFunction
              Resource: !Sub "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:${{AWS::StackName}}-{id}"
      Environment:
        Variables:
"#,
        policy = connections_policy(deployment),
    );
    for (name, value) in deployment.environment {
        let _ = writeln!(out, "          {name}: {value}");
    }
    let _ = write!(
        out,
        r#"          LIVE_ENDPOINT: {endpoint}
      Events:
        Heartbeat:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(1 minute)
            Input: '{{"live": "heartbeat"}}'
"#,
        endpoint = endpoint(deployment),
    );
    out
}
